import {
  AMBIENT_ACTIONS,
  type FaultCategory,
  type FieldDefinition,
  type Ticket,
  type TicketAction,
  type TicketWorkflowView,
  type TimelineEntry,
} from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Descriptions, Row, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { labelOf } from '../../i18n/keys';
import { get } from '../../lib/api';
import { queryState } from '../../lib/QueryState';
import { FieldValue } from '../forms/FieldInputs';
import { useAuth } from '../identity/auth';
import { StaffQuotes } from '../portal/StaffQuotes';
import { ActionModal } from './ActionModal';
import { Attachments } from './Attachments';
import { ClosedTicketCard } from './ClosedTicketCard';
import { PRIORITY_COLOR, STATE_COLOR } from './labels';
import { SlaClocks } from './SlaClocks';
import { TimelineEntryText } from './TimelineEntryText';

/** Answering a visit happens on the engineer's phone (/field), where the visit is at hand. */
const FIELD_ONLY = new Set(['accept', 'decline']);

export default function TicketDetailPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams();
  const { message } = App.useApp();
  const client = useQueryClient();
  const { me } = useAuth();
  const [action, setAction] = useState<TicketAction | null>(null);
  const [move, setMove] = useState<TicketWorkflowView['transitions'][number] | null>(null);
  const ticket = useQuery({ queryKey: ['ticket', id], queryFn: () => get<Ticket>(`/tickets/${id}`) });
  const type = ticket.data?.type ?? 'repair';
  const customFields = useQuery({
    queryKey: ['forms', type],
    queryFn: () => get<FieldDefinition[]>(`/forms/fields?ticketType=${type}`),
    enabled: !!ticket.data,
  });
  // The workflow stage and what this user may do from it, asked again whenever the ticket changes.
  const workflow = useQuery({
    queryKey: ['ticket', id, 'workflow', ticket.data?.version],
    queryFn: () => get<TicketWorkflowView>(`/tickets/${id}/transitions`),
    enabled: !!ticket.data,
  });
  const timeline = useQuery({
    queryKey: ['ticket', id, 'timeline'],
    queryFn: () => get<TimelineEntry[]>(`/tickets/${id}/timeline`),
  });
  const links = useQuery({
    queryKey: ['ticket', id, 'links'],
    queryFn: () => get<{ id: string; number: string; title: string; kind: string }[]>(`/tickets/${id}/links`),
  });
  const categories = useQuery({
    queryKey: ['fault-categories'],
    queryFn: () => get<FaultCategory[]>('/fault-categories'),
  });

  if (!ticket.data) return queryState(ticket);
  const tk = ticket.data;
  const locale = i18n.language === 'en-US' ? 'en-US' : 'zh-CN';
  const offered = workflow.data?.transitions ?? [];
  // Stage-moving actions appear as the workflow names them, and only where the workflow has them.
  const byAction = new Map(offered.filter((x) => x.action).map((x) => [x.action!, x]));
  const actions = (tk.allowedActions ?? []).filter(
    (a) => !FIELD_ONLY.has(a) && (AMBIENT_ACTIONS.includes(a as TicketAction) || byAction.has(a)),
  );
  const category = categories.data?.find((c) => c.id === tk.categoryId);
  const resolution = tk.resolution as {
    diagnosis?: string | null;
    checklist?: Record<string, boolean>;
    rootCause: string;
    actionsTaken: string;
    labourMinutes: number;
    partsUsed: { name: string; quantity: number }[];
  } | null;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="ticket-detail">
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {tk.number} · {tk.title}
          </Typography.Title>
          <Tag color={STATE_COLOR[tk.state]} data-testid="ticket-state">
            {t(`tickets.states.${tk.state}`)}
          </Tag>
          {workflow.data && (
            <Tag color="geekblue" data-testid="ticket-stage">
              {t(`workflows.types.${tk.type}`)} · {workflow.data.stage.name[locale]}
            </Tag>
          )}
          {workflow.data && (
            <Typography.Text type="secondary" data-testid="workflow-version">
              {t('workflows.workflowVersion')} v{workflow.data.workflowVersion}
            </Typography.Text>
          )}
          {tk.priority && <Tag color={PRIORITY_COLOR[tk.priority]}>{tk.priority}</Tag>}
          {tk.isRepeat && <Tag color="magenta">{t('tickets.repeat')}</Tag>}
          {tk.unknownDevice && <Tag color="warning">{t('tickets.unknownDevice')}</Tag>}
        </Space>
        <Space wrap>
          {actions.map((a) => (
            <Button
              key={a}
              onClick={() => {
                setAction(a as TicketAction);
                setMove(byAction.get(a) ?? null);
              }}
              data-testid={`action-${a}`}
              type={a === 'comment' ? 'default' : 'primary'}
              ghost={a !== 'comment'}
            >
              {byAction.get(a)?.name[locale] ?? labelOf(t, 'tickets.actions', a)}
            </Button>
          ))}
          {offered
            .filter((x) => !x.action)
            .map((x) => (
              <Button
                key={x.key}
                onClick={() => setMove(x)}
                data-testid={`transition-${x.key}`}
                disabled={x.failedGuards.length > 0}
                title={
                  x.failedGuards.length > 0
                    ? t('workflows.blocked', {
                        guards: x.failedGuards.map((g) => t(`workflows.guardNames.${g}`)).join('、'),
                      })
                    : undefined
                }
              >
                {x.name[locale]} → {x.to.name[locale]}
              </Button>
            ))}
        </Space>
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Card size="small">
              <Descriptions column={{ xs: 1, sm: 2 }} size="small">
                <Descriptions.Item label={t('tickets.customer')}>
                  {tk.customerId ? <Link to={`/console/customers/${tk.customerId}`}>{tk.customerName}</Link> : '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.device')}>
                  {tk.deviceId ? (
                    <Link to={`/console/devices/${tk.deviceId}`}>{tk.serialNumber ?? t('common.view')}</Link>
                  ) : (
                    (tk.serialNumber ?? '—')
                  )}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.contactName')}>
                  {tk.contactName} {tk.contactPhone}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.serviceType')}>
                  {t(`tickets.serviceTypes.${tk.serviceType}`)}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.engineer')}>
                  <span data-testid="ticket-engineer">{tk.assigneeName ?? '—'}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.serviceAddress')} span={2}>
                  <span data-testid="ticket-address">{tk.serviceAddress ?? '—'}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.channel')}>
                  {t(`tickets.channels.${tk.channel}`)}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.category')}>
                  {category ? (i18n.language === 'zh-CN' ? category.nameZh : category.nameEn) : '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.severity')}>
                  {t(`tickets.severities.${tk.severity}`)}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.warranty')}>
                  {tk.warrantyStatus ? labelOf(t, 'devices.warrantyStatus', tk.warrantyStatus) : '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.reportedAt')}>
                  {new Date(tk.reportedAt).toLocaleString()}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.description')} span={2}>
                  {tk.description}
                </Descriptions.Item>
                {/* Custom field values, labelled by their definitions (a retired field still shows its value). */}
                {Object.entries(tk.fields ?? {}).map(([key, value]) => {
                  const d = customFields.data?.find((f) => f.key === key);
                  return (
                    <Descriptions.Item key={key} label={d ? (i18n.language === 'en-US' ? d.labelEn : d.labelZh) : key}>
                      <FieldValue field={d} value={value} />
                    </Descriptions.Item>
                  );
                })}
              </Descriptions>
            </Card>
            <SlaClocks ticketId={tk.id} version={tk.version} triaged={!!tk.priority} />
            {!me?.roles.includes('customer') && (
              <StaffQuotes ticketId={tk.id} open={!['closed', 'cancelled'].includes(tk.state)} />
            )}
            {(tk.visits ?? []).length > 0 && (
              <Card size="small" title={t('tickets.visits')}>
                <Table
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={tk.visits}
                  columns={[
                    {
                      title: t('tickets.plannedStart'),
                      dataIndex: 'plannedStart',
                      render: (d: string) => new Date(d).toLocaleString(),
                    },
                    {
                      title: t('tickets.checkedIn'),
                      dataIndex: 'checkedInAt',
                      render: (d: string | null) => (d ? new Date(d).toLocaleString() : '—'),
                    },
                    {
                      title: t('tickets.checkedOut'),
                      dataIndex: 'checkedOutAt',
                      render: (d: string | null) => (d ? new Date(d).toLocaleString() : '—'),
                    },
                  ]}
                />
              </Card>
            )}
            {resolution && (
              <Card size="small" title={t('tickets.resolution')}>
                <Descriptions column={1} size="small">
                  {(resolution.diagnosis || tk.initialDiagnosis) && (
                    <Descriptions.Item label={t('tickets.diagnosis')}>
                      {resolution.diagnosis || tk.initialDiagnosis}
                    </Descriptions.Item>
                  )}
                  <Descriptions.Item label={t('tickets.rootCause')}>{resolution.rootCause}</Descriptions.Item>
                  <Descriptions.Item label={t('tickets.actionsTaken')}>{resolution.actionsTaken}</Descriptions.Item>
                  <Descriptions.Item label={t('tickets.partsUsed')}>
                    {resolution.partsUsed.map((p) => `${p.name} × ${p.quantity}`).join('、') || '—'}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('tickets.labourMinutes')}>{resolution.labourMinutes}</Descriptions.Item>
                  {resolution.checklist && (
                    <Descriptions.Item label={t('tickets.checklist')}>
                      <span data-testid="ticket-checklist">
                        {Object.entries(resolution.checklist).map(([check, done]) => (
                          <Tag key={check} color={done ? 'green' : 'red'}>
                            {done ? '✓' : '✗'} {labelOf(t, 'tickets.checks', check)}
                          </Tag>
                        ))}
                      </span>
                    </Descriptions.Item>
                  )}
                </Descriptions>
              </Card>
            )}
            {tk.state === 'closed' && <ClosedTicketCard ticket={tk} />}
            <Attachments ticketId={tk.id} canChooseVisibility={!me?.roles.includes('customer')} />
            {(links.data ?? []).length > 0 && (
              <Card size="small" title={t('tickets.links')}>
                {links.data!.map((l) => (
                  <div key={l.id}>
                    <Link to={`/console/tickets/${l.id}`}>{l.number}</Link> · {l.title} · {l.kind}
                  </div>
                ))}
              </Card>
            )}
          </Space>
        </Col>
        <Col xs={24} lg={9}>
          <Card size="small" title={t('tickets.timeline')} data-testid="ticket-timeline">
            <Timeline
              items={(timeline.data ?? []).map((e) => ({
                color: e.visibility === 'customer' ? 'blue' : 'gray',
                children: (
                  <div data-testid="timeline-entry" data-type={e.type}>
                    <TimelineEntryText entry={e} />
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
      <ActionModal
        ticket={tk}
        action={action}
        transition={move}
        customFields={customFields.data ?? []}
        categories={categories.data ?? []}
        onClose={() => {
          setAction(null);
          setMove(null);
        }}
        onDone={(updated) => {
          setAction(null);
          setMove(null);
          message.success(t('common.saved'));
          client.setQueryData(['ticket', id], updated);
          void client.invalidateQueries({ queryKey: ['ticket', id, 'timeline'] });
        }}
      />
    </Space>
  );
}
