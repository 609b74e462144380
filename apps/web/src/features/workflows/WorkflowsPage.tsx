import type { FieldDefinition, TicketType, WorkflowDefinition, WorkflowVersion } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, List, Row, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, errorText, get, post, put } from '../../lib/api';
import { useAuth } from '../identity/auth';
import { Inspector } from './Inspector';
import { describedProblems, freshKey } from './problems';
import { type Selection, WorkflowCanvas } from './WorkflowCanvas';

interface TypeInfo {
  key: TicketType;
  activeVersion: { id: string; version: number } | null;
  draft: { id: string; version: number } | null;
}
type Summary = Omit<WorkflowVersion, 'definition' | 'problems'>;

const STATUS_COLOR = { draft: 'gold', active: 'green', retired: 'default' } as const;

/**
 * Ticket types and their workflows: pick a type, see its versions, open one in the designer.
 * Only a draft is editable; it is saved as often as wanted and activated only without problems
 * (the list beside the canvas is the server's own check, run live).
 */
export default function WorkflowsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const client = useQueryClient();
  const [type, setType] = useState<TicketType>('repair');
  const [openId, setOpenId] = useState<string | null>(null);
  const [definition, setDefinition] = useState<WorkflowDefinition | null>(null);
  const [selected, setSelected] = useState<Selection>(null);
  const [refused, setRefused] = useState<string[] | null>(null);
  const types = useQuery({ queryKey: ['workflows', 'types'], queryFn: () => get<TypeInfo[]>('/workflows/types') });
  const versions = useQuery({
    queryKey: ['workflows', type, 'versions'],
    queryFn: () => get<Summary[]>(`/workflows/versions?type=${type}`),
  });
  const fields = useQuery({
    queryKey: ['forms', type],
    queryFn: () => get<FieldDefinition[]>(`/forms/fields?ticketType=${type}`),
  });
  const info = types.data?.find((x) => x.key === type);
  const shownId = openId ?? info?.draft?.id ?? info?.activeVersion?.id ?? null;
  const version = useQuery({
    queryKey: ['workflows', 'version', shownId],
    queryFn: () => get<WorkflowVersion>(`/workflows/versions/${shownId}`),
    enabled: !!shownId,
  });
  useEffect(() => {
    setDefinition(version.data ? structuredClone(version.data.definition) : null);
  }, [version.data]);
  // A refusal and a selection belong to the version on screen; a refetch after saving keeps them.
  const [shownFor, setShownFor] = useState(shownId);
  if (shownFor !== shownId) {
    setShownFor(shownId);
    setSelected(null);
    setRefused(null);
  }

  const editable = version.data?.status === 'draft' && can('workflow', 'update');
  const fieldKeys = useMemo(() => (fields.data ?? []).filter((f) => f.active).map((f) => f.key), [fields.data]);
  const problems = useMemo(
    () => (definition ? describedProblems(definition, fieldKeys, i18n.language) : []),
    [definition, fieldKeys, i18n.language],
  );
  // Which nodes and arrows to outline: the state or transition each problem's path points at.
  const problemKeys = useMemo(() => {
    const keys = new Set<string>();
    for (const p of problems) {
      const m = /^(states|transitions)\.(\d+)/.exec(p.path);
      const item = m ? definition?.[m[1] as 'states' | 'transitions'][Number(m[2])] : undefined;
      if (item) keys.add(`${m![1] === 'states' ? 'state' : 'transition'}:${item.key}`);
    }
    return keys;
  }, [problems, definition]);

  const refresh = async (id?: string) => {
    if (id) setOpenId(id);
    await client.invalidateQueries({ queryKey: ['workflows'] });
  };
  const run = async (work: () => Promise<unknown>, done?: string) => {
    try {
      await work();
      if (done) message.success(done);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const newDraft = () =>
    run(async () => {
      const draft = await post<WorkflowVersion>('/workflows/versions', { ticketType: type });
      await refresh(draft.id);
    });
  const save = () =>
    run(async () => {
      await put(`/workflows/versions/${shownId}`, { revision: version.data!.revision, definition });
      await refresh();
    }, t('common.saved'));
  const activate = () =>
    run(async () => {
      try {
        // Unsaved edits go with the activation.
        const saved = await put<WorkflowVersion>(`/workflows/versions/${shownId}`, {
          revision: version.data!.revision,
          definition,
        });
        await post(`/workflows/versions/${shownId}/activate`, { revision: saved.revision });
        setRefused(null);
        message.success(t('workflows.activated'));
      } catch (e) {
        const details = (e as { details?: { message: string }[] }).details;
        setRefused([(e as Error).message, ...(Array.isArray(details) ? details.map((d) => d.message) : [])]);
      } finally {
        await refresh();
      }
    });
  const discard = () =>
    run(async () => {
      await del(`/workflows/versions/${shownId}?revision=${version.data!.revision}`);
      setOpenId(null);
      await refresh();
    });

  const addState = () => {
    if (!definition) return;
    const key = freshKey('state', definition.states);
    setDefinition({
      ...definition,
      states: [
        ...definition.states,
        {
          key,
          name: { 'zh-CN': '新状态', 'en-US': 'New state' },
          phase: 'in_progress',
          lifecycle: 'on_site',
          position: { x: 80 + definition.states.length * 40, y: 360 },
        },
      ],
    });
    setSelected({ kind: 'state', key });
  };
  /** A new stage move: between two connected nodes, or from (and to) the selected state. */
  const addTransition = (from?: string, to?: string) => {
    if (!definition) return;
    const key = freshKey('move', definition.transitions);
    const first = selected?.kind === 'state' ? selected.key : definition.states[0]!.key;
    setDefinition({
      ...definition,
      transitions: [
        ...definition.transitions,
        {
          key,
          name: { 'zh-CN': '流转', 'en-US': 'Move' },
          from: [from ?? first],
          to: to ?? first,
          roles: ['agent', 'manager', 'admin', 'engineer'],
          action: null,
          requiredFields: [],
          guards: [],
        },
      ],
    });
    setSelected({ kind: 'transition', key });
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="workflows-page">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('workflows.title')}
      </Typography.Title>
      <Segmented
        value={type}
        onChange={(v) => {
          setType(v as TicketType);
          setOpenId(null);
        }}
        options={(types.data ?? []).map((x) => ({
          value: x.key,
          label: <span data-testid={`type-${x.key}`}>{t(`workflows.types.${x.key}`)}</span>,
        }))}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={17}>
          <Card
            size="small"
            title={
              version.data && (
                <Space>
                  {t('workflows.version', { version: version.data.version })}
                  <Tag color={STATUS_COLOR[version.data.status]} data-testid="version-status">
                    {t(`workflows.status.${version.data.status}`)}
                  </Tag>
                </Space>
              )
            }
            extra={
              <Space wrap>
                {editable && <Button onClick={addState}>{t('workflows.addState')}</Button>}
                {editable && (
                  <Button onClick={() => addTransition()} data-testid="add-transition">
                    {t('workflows.addTransition')}
                  </Button>
                )}
                {editable && <Button onClick={save}>{t('workflows.saveDraft')}</Button>}
                {editable && (
                  <Button type="primary" onClick={activate} data-testid="activate">
                    {t('workflows.activate')}
                  </Button>
                )}
                {editable && (
                  <Button danger onClick={discard}>
                    {t('workflows.discard')}
                  </Button>
                )}
                {!info?.draft && can('workflow', 'create') && (
                  <Button type="primary" onClick={newDraft} data-testid="new-draft">
                    {t('workflows.newDraft')}
                  </Button>
                )}
              </Space>
            }
          >
            {!editable && version.data && (
              <Alert type="info" showIcon message={t('workflows.readOnly')} style={{ marginBottom: 8 }} />
            )}
            {refused && (
              <Alert
                type="error"
                showIcon
                data-testid="activation-refused"
                message={refused[0]}
                description={refused.slice(1).map((m) => <div key={m}>{m}</div>)}
                style={{ marginBottom: 8 }}
              />
            )}
            {definition && (
              <WorkflowCanvas
                definition={definition}
                language={i18n.language}
                editable={!!editable}
                selected={selected}
                problemKeys={problemKeys}
                onChange={setDefinition}
                onConnect={(from, to) => addTransition(from, to)}
                onSelect={setSelected}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={7}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Card size="small">
              {definition && (
                <Inspector
                  definition={definition}
                  selected={selected}
                  editable={!!editable}
                  fieldKeys={fieldKeys}
                  onChange={setDefinition}
                  onSelect={setSelected}
                />
              )}
            </Card>
            <Card size="small" title={t('workflows.problems')} data-testid="workflow-problems">
              {problems.length === 0 ? (
                <Typography.Text type="success">{t('workflows.noProblems')}</Typography.Text>
              ) : (
                <List
                  size="small"
                  dataSource={problems}
                  renderItem={(p) => (
                    <List.Item data-testid="workflow-problem" data-code={p.code}>
                      <Typography.Text type="danger">{p.message}</Typography.Text>
                    </List.Item>
                  )}
                />
              )}
            </Card>
          </Space>
        </Col>
      </Row>
      <Card size="small" title={t('workflows.versions')}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={versions.data ?? []}
          onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
          rowClassName={(r) => (r.id === shownId ? 'ant-table-row-selected' : '')}
          columns={[
            { title: t('workflows.versions'), dataIndex: 'version', render: (v: number) => `v${v}` },
            {
              title: t('workflows.statusTitle'),
              dataIndex: 'status',
              render: (s: Summary['status']) => (
                <Tag color={STATUS_COLOR[s]} data-testid={`status-${s}`}>
                  {t(`workflows.status.${s}`)}
                </Tag>
              ),
            },
            {
              title: t('audit.time'),
              dataIndex: 'activatedAt',
              render: (d: string | null, r) => new Date(d ?? r.createdAt).toLocaleString(),
            },
            { title: t('workflows.tickets'), dataIndex: 'ticketCount' },
          ]}
        />
      </Card>
    </Space>
  );
}
