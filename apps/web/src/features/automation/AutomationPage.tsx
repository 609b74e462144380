import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type {
  AutomationRule,
  AutomationRun,
  ConditionNode,
  CreateAutomationRule,
  DryRunResult as DryRun,
  Page,
  RuleAction,
  RuleTrigger,
  Ticket,
  TriggerType,
} from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Drawer,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { errorText, get, patch, post } from '../../lib/api';
import { useAuth } from '../identity/auth';
import { ActionEditor, ConditionGroup, defaultAction, OutcomeTag, TraceView, useRuleFields } from './RuleParts';

type Draft = CreateAutomationRule & { id?: string; version?: number; createdAt?: string };

const TRIGGERS: TriggerType[] = [
  'ticket.created',
  'ticket.updated',
  'ticket.transitioned',
  'field_changed',
  'sla.warning',
  'sla.breached',
  'survey.low_score',
  'parts.reorder_needed',
  'telemetry.alert',
  'analytics.spike_detected',
  'schedule',
];

function triggerOf(type: TriggerType): RuleTrigger {
  switch (type) {
    case 'ticket.transitioned':
      return { type, events: [] };
    case 'field_changed':
      return { type, field: 'priority' };
    case 'survey.low_score':
      return { type, below: 3 };
    case 'schedule':
      return { type, cron: '0 9 * * 1-5' };
    default:
      return { type } as RuleTrigger;
  }
}

const blank = (): Draft => ({
  name: '',
  description: null,
  enabled: true,
  position: 100,
  trigger: { type: 'ticket.created' },
  conditions: { all: [] },
  actions: [defaultAction('assign')],
  stopProcessing: false,
});

/** The trigger's own settings (lifecycle events, field, clock, score, cron). */
function TriggerEditor({ trigger, onChange }: { trigger: RuleTrigger; onChange: (t: RuleTrigger) => void }) {
  const { t } = useTranslation();
  return (
    <Space wrap>
      <Select
        style={{ width: 220 }}
        value={trigger.type}
        options={TRIGGERS.map((type) => ({ value: type, label: t(`automation.triggers.${type}`) }))}
        onChange={(type: TriggerType) => onChange(triggerOf(type))}
        data-testid="rule-trigger"
      />
      {trigger.type === 'ticket.transitioned' && (
        <Select
          mode="tags"
          style={{ minWidth: 260 }}
          placeholder={t('automation.anyLifecycleEvent')}
          value={trigger.events}
          options={['triaged', 'dispatched', 'resolved', 'closed', 'reopened', 'suspended', 'commented'].map((e) => ({
            value: `ticket.${e}`,
            label: `ticket.${e}`,
          }))}
          onChange={(events) => onChange({ ...trigger, events })}
        />
      )}
      {trigger.type === 'field_changed' && (
        <Input
          style={{ width: 200 }}
          value={trigger.field}
          onChange={(e) => onChange({ ...trigger, field: e.target.value })}
        />
      )}
      {(trigger.type === 'sla.warning' || trigger.type === 'sla.breached') && (
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('automation.anyClock')}
          value={trigger.clock}
          options={['response', 'resolution'].map((c) => ({ value: c, label: labelOf(t, 'sla.kinds', c) }))}
          onChange={(clock) => onChange({ ...trigger, clock: clock ?? undefined })}
        />
      )}
      {trigger.type === 'survey.low_score' && (
        <InputNumber
          min={1}
          max={5}
          addonBefore={t('automation.below')}
          value={trigger.below}
          onChange={(below) => onChange({ ...trigger, below: below ?? 3 })}
        />
      )}
      {trigger.type === 'schedule' && (
        <Input
          style={{ width: 200 }}
          addonAfter={t('automation.cronZone')}
          value={trigger.cron}
          onChange={(e) => onChange({ ...trigger, cron: e.target.value })}
        />
      )}
    </Space>
  );
}

function RuleEditor({ initial, onClose }: { initial: Draft; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const fields = useRuleFields();
  const [draft, setDraft] = useState<Draft>(initial);
  const [error, setError] = useState<string | null>(null);
  const [ticketNumber, setTicketNumber] = useState('');
  const [dryRun, setDryRun] = useState<DryRun | null>(null);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const group = (
    draft.conditions && ('all' in draft.conditions || 'any' in draft.conditions)
      ? draft.conditions
      : { all: draft.conditions ? [draft.conditions] : [] }
  ) as { all: ConditionNode[] } | { any: ConditionNode[] };
  const body = (): CreateAutomationRule => {
    // The rule as the server shows it carries more than a rule takes (unknown fields are a 400).
    const { id: _id, version: _v, createdAt: _c, ...rule } = draft;
    const children = 'all' in group ? group.all : group.any;
    return { ...rule, conditions: children.length === 0 ? null : group };
  };

  const save = async () => {
    setError(null);
    try {
      if (draft.id) await patch(`/automation/rules/${draft.id}`, { ...body(), version: draft.version });
      else await post('/automation/rules', body());
      message.success(t('common.saved'));
      await client.invalidateQueries({ queryKey: ['automation-rules'] });
      onClose();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const test = async () => {
    setError(null);
    setDryRun(null);
    try {
      const found = await get<Page<Ticket>>(`/tickets?q=${encodeURIComponent(ticketNumber.trim())}&pageSize=1`);
      const ticket = found.items[0];
      if (!ticket) throw new Error(t('automation.noSuchTicket'));
      setDryRun(await post<DryRun>('/automation/dry-run', { ticketId: ticket.id, rule: body() }));
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="rule-editor">
      {error && <Alert type="error" message={error} showIcon data-testid="rule-error" />}
      <Card size="small" title={t('automation.basics')}>
        <Space wrap>
          <Input
            style={{ width: 320 }}
            placeholder={t('automation.name')}
            value={draft.name}
            onChange={(e) => set({ name: e.target.value })}
            data-testid="rule-name"
          />
          <InputNumber
            addonBefore={t('automation.position')}
            min={0}
            value={draft.position}
            onChange={(position) => set({ position: position ?? 100 })}
          />
          <Space>
            <Switch checked={draft.enabled} onChange={(enabled) => set({ enabled })} />
            {t('automation.enabled')}
          </Space>
          <Space>
            <Switch checked={draft.stopProcessing} onChange={(stopProcessing) => set({ stopProcessing })} />
            {t('automation.stopProcessing')}
          </Space>
        </Space>
      </Card>
      <Card size="small" title={t('automation.trigger')}>
        <TriggerEditor trigger={draft.trigger} onChange={(trigger) => set({ trigger })} />
      </Card>
      <Card size="small" title={t('automation.conditions')}>
        <ConditionGroup node={group} fields={fields} onChange={(conditions) => set({ conditions })} />
      </Card>
      <Card size="small" title={t('automation.actionsTitle')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          {draft.actions.map((action, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: actions are ordered by place.
            <Space key={i} align="start">
              <ActionEditor
                action={action}
                onChange={(a: RuleAction) => set({ actions: draft.actions.map((x, j) => (i === j ? a : x)) })}
              />
              <Button
                size="small"
                icon={<DeleteOutlined />}
                disabled={draft.actions.length === 1}
                onClick={() => set({ actions: draft.actions.filter((_, j) => j !== i) })}
              />
            </Space>
          ))}
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => set({ actions: [...draft.actions, defaultAction('notify')] })}
            data-testid="add-action"
          >
            {t('automation.addAction')}
          </Button>
        </Space>
      </Card>
      <Card size="small" title={t('automation.dryRun')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space>
            <Input
              style={{ width: 240 }}
              placeholder={t('automation.ticketNumber')}
              value={ticketNumber}
              onChange={(e) => setTicketNumber(e.target.value)}
              data-testid="dry-run-ticket"
            />
            <Button onClick={test} disabled={!ticketNumber.trim()} data-testid="dry-run">
              {t('automation.test')}
            </Button>
          </Space>
          {dryRun && (
            <div data-testid="dry-run-result">
              <Typography.Paragraph strong>
                {dryRun.matched ? t('automation.wouldMatch') : t('automation.wouldNotMatch')}
              </Typography.Paragraph>
              {dryRun.trace ? <TraceView trace={dryRun.trace} /> : <div>{t('automation.always')}</div>}
              <ul>
                {dryRun.actions.map((a, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: outcomes follow the actions' order.
                  <li key={i}>
                    <OutcomeTag status={a.status} /> {labelOf(t, 'automation.actions', a.type)} — {a.summary}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </Space>
      </Card>
      <Space>
        <Button type="primary" onClick={save} data-testid="rule-save">
          {t('common.save')}
        </Button>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
      </Space>
    </Space>
  );
}

function RunLog({ rule }: { rule: AutomationRule }) {
  const { t } = useTranslation();
  const runs = useQuery({
    queryKey: ['automation-runs', rule.id],
    queryFn: () => get<Page<AutomationRun>>(`/automation/rules/${rule.id}/runs?pageSize=100`),
  });
  return (
    <Table<AutomationRun>
      rowKey="id"
      size="small"
      loading={runs.isLoading}
      dataSource={runs.data?.items ?? []}
      data-testid="rule-runs"
      expandable={{ expandedRowRender: (r) => (r.trace ? <TraceView trace={r.trace} /> : t('automation.always')) }}
      columns={[
        { title: t('automation.when'), dataIndex: 'occurredAt', render: (v) => new Date(v).toLocaleString() },
        { title: t('automation.event'), dataIndex: 'eventType' },
        {
          title: t('automation.matched'),
          dataIndex: 'matched',
          render: (m) => <Tag color={m ? 'green' : undefined}>{m ? t('common.yes') : t('common.no')}</Tag>,
        },
        {
          title: t('automation.actionsTitle'),
          dataIndex: 'actions',
          render: (actions: AutomationRun['actions']) =>
            actions.map((a, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: outcomes follow the actions' order.
              <div key={i}>
                <OutcomeTag status={a.status} /> {a.summary}
                {a.error && <Typography.Text type="danger"> {a.error}</Typography.Text>}
              </div>
            )),
        },
        { title: t('automation.duration'), dataIndex: 'durationMs', render: (ms: number) => `${ms.toFixed(1)} ms` },
      ]}
    />
  );
}

/**
 * Automation rules: the list in run order with a switch each, an editor for trigger, condition
 * tree and actions with a dry run against a ticket, and each rule's run log.
 */
export default function AutomationPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const client = useQueryClient();
  const [editing, setEditing] = useState<Draft | null>(null);
  const [logOf, setLogOf] = useState<AutomationRule | null>(null);
  const rules = useQuery({
    queryKey: ['automation-rules'],
    queryFn: () => get<Page<AutomationRule>>('/automation/rules?pageSize=200'),
  });
  const writable = can('automationRule', 'update');
  const toggle = async (rule: AutomationRule, enabled: boolean) => {
    try {
      await patch(`/automation/rules/${rule.id}`, { version: rule.version, enabled });
      await client.invalidateQueries({ queryKey: ['automation-rules'] });
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Card
      title={t('automation.title')}
      extra={
        writable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(blank())} data-testid="rule-new">
            {t('automation.newRule')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('automation.hint')}</Typography.Paragraph>
      <Table<AutomationRule>
        rowKey="id"
        loading={rules.isLoading}
        dataSource={rules.data?.items ?? []}
        pagination={false}
        data-testid="rules"
        columns={[
          { title: t('automation.position'), dataIndex: 'position', width: 80 },
          { title: t('automation.name'), dataIndex: 'name' },
          {
            title: t('automation.trigger'),
            dataIndex: 'trigger',
            render: (trigger: RuleTrigger) => <Tag>{t(`automation.triggers.${trigger.type}`)}</Tag>,
          },
          {
            title: t('automation.actionsTitle'),
            dataIndex: 'actions',
            render: (actions: RuleAction[]) => actions.map((a) => t(`automation.actions.${a.type}`)).join('、'),
          },
          {
            title: t('automation.enabled'),
            dataIndex: 'enabled',
            render: (enabled: boolean, rule) => (
              <Switch checked={enabled} disabled={!writable} onChange={(on) => toggle(rule, on)} />
            ),
          },
          {
            key: 'ops',
            render: (_, rule) => (
              <Space>
                {writable && (
                  <Button size="small" onClick={() => setEditing({ ...rule, description: rule.description ?? null })}>
                    {t('common.edit')}
                  </Button>
                )}
                <Button size="small" onClick={() => setLogOf(rule)}>
                  {t('automation.runLog')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Drawer
        open={!!editing}
        width={1100}
        destroyOnClose
        title={editing?.id ? t('automation.editRule') : t('automation.newRule')}
        onClose={() => setEditing(null)}
      >
        {editing && <RuleEditor initial={editing} onClose={() => setEditing(null)} />}
      </Drawer>
      <Drawer
        open={!!logOf}
        width={1000}
        title={`${t('automation.runLog')} — ${logOf?.name ?? ''}`}
        onClose={() => setLogOf(null)}
      >
        {logOf && <RunLog rule={logOf} />}
      </Drawer>
    </Card>
  );
}
