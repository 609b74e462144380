import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type {
  ConditionNode,
  CreateAutomationRule,
  DryRunResult as DryRun,
  Page,
  RuleAction,
  Ticket,
} from '@serviceloop/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, InputNumber, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { errorText, get, patch, post } from '../../lib/api';
import { OutcomeTag } from './OutcomeTag';
import { ActionEditor, defaultAction } from './RuleActions';
import { ConditionGroup, TraceView, useRuleFields } from './RuleConditions';
import { TriggerEditor } from './TriggerEditor';

/** A rule being edited: a new one has no id yet. */
export type Draft = CreateAutomationRule & { id?: string; version?: number; createdAt?: string };

export const blank = (): Draft => ({
  name: '',
  description: null,
  enabled: true,
  position: 100,
  trigger: { type: 'ticket.created' },
  conditions: { all: [] },
  actions: [defaultAction('assign')],
  stopProcessing: false,
});

/** The rule editor: trigger, conditions, actions, and a dry run against a real ticket before saving. */
export function RuleEditor({ initial, onClose }: { initial: Draft; onClose: () => void }) {
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
