import { AssignmentStrategy, Priority, ROLES, type RuleAction, type RuleRecipient } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { get } from '../../lib/api';

const ACTION_TYPES: RuleAction['type'][] = [
  'assign',
  'set_priority',
  'set_field',
  'notify',
  'escalate',
  'comment',
  'create_ticket',
  'webhook',
];

export function defaultAction(type: RuleAction['type']): RuleAction {
  switch (type) {
    case 'assign':
      return { type };
    case 'set_priority':
      return { type, priority: 'P1' };
    case 'set_field':
      return { type, field: '', value: '' };
    case 'notify':
      return {
        type,
        recipients: [{ kind: 'assignee' }],
        channels: ['in_app'],
        title: '{{ticketNumber}}',
        body: '{{title}}',
      };
    case 'escalate':
      return {
        type,
        raiseTo: 'one_step',
        recipients: [{ kind: 'role', role: 'manager' }],
        channels: ['in_app', 'sms'],
        title: '{{ticketNumber}}',
        body: '{{title}}',
      };
    case 'comment':
      return { type, body: '', visibility: 'internal' };
    case 'create_ticket':
      return { type, title: '', description: '', kind: 'follow_up' };
    case 'webhook':
      return { type, endpointId: '' };
  }
}

interface Endpoint {
  id: string;
  name: string;
  kind: string;
}

function Recipients({ value, onChange }: { value: RuleRecipient[]; onChange: (r: RuleRecipient[]) => void }) {
  const { t } = useTranslation();
  const endpoints = useQuery({
    queryKey: ['notify-endpoints'],
    queryFn: () => get<Endpoint[]>('/notifications/endpoints'),
  });
  const encode = (r: RuleRecipient) =>
    r.kind === 'role'
      ? `role:${r.role}`
      : r.kind === 'endpoint'
        ? `endpoint:${r.endpointId}`
        : r.kind === 'user'
          ? `user:${r.userId}`
          : r.kind;
  const decode = (v: string): RuleRecipient => {
    const [kind, id] = v.split(':') as [string, string];
    if (kind === 'role') return { kind, role: id };
    if (kind === 'endpoint') return { kind, endpointId: id };
    if (kind === 'user') return { kind, userId: id };
    return { kind: kind as 'assignee' | 'team_manager' };
  };
  return (
    <Select
      mode="multiple"
      style={{ minWidth: 320 }}
      placeholder={t('automation.recipients')}
      value={value.map(encode)}
      onChange={(vs: string[]) => onChange(vs.map(decode))}
      options={[
        { value: 'assignee', label: t('automation.recipientKinds.assignee') },
        { value: 'team_manager', label: t('automation.recipientKinds.team_manager') },
        ...ROLES.filter((r) => r !== 'customer').map((r) => ({
          value: `role:${r}`,
          label: `${t('automation.recipientKinds.role')}: ${t(`roles.${r}`)}`,
        })),
        ...(endpoints.data ?? []).map((e) => ({ value: `endpoint:${e.id}`, label: `${e.kind}: ${e.name}` })),
      ]}
      data-testid="action-recipients"
    />
  );
}

/** One action's settings, by its type. */
export function ActionEditor({ action, onChange }: { action: RuleAction; onChange: (a: RuleAction) => void }) {
  const { t } = useTranslation();
  const teams = useQuery({ queryKey: ['teams'], queryFn: () => get<{ id: string; name: string }[]>('/teams') });
  const endpoints = useQuery({
    queryKey: ['notify-endpoints'],
    queryFn: () => get<Endpoint[]>('/notifications/endpoints'),
  });
  const typeSelect = (
    <Select
      style={{ width: 160 }}
      value={action.type}
      options={ACTION_TYPES.map((type) => ({ value: type, label: t(`automation.actions.${type}`) }))}
      onChange={(type) => onChange(defaultAction(type))}
      data-testid="action-type"
    />
  );
  const message = (a: Extract<RuleAction, { type: 'notify' | 'escalate' }>) => (
    <>
      <Recipients value={a.recipients} onChange={(recipients) => onChange({ ...a, recipients })} />
      <Select
        mode="multiple"
        style={{ minWidth: 200 }}
        value={a.channels}
        options={['in_app', 'email', 'sms'].map((c) => ({ value: c, label: labelOf(t, 'automation.channels', c) }))}
        onChange={(channels) => onChange({ ...a, channels })}
      />
      <Input
        style={{ width: 240 }}
        placeholder={t('automation.messageTitle')}
        value={a.title}
        onChange={(e) => onChange({ ...a, title: e.target.value })}
        data-testid="action-title"
      />
      <Input
        style={{ width: 320 }}
        placeholder={t('automation.messageBody')}
        value={a.body}
        onChange={(e) => onChange({ ...a, body: e.target.value })}
        data-testid="action-body"
      />
    </>
  );
  return (
    <Space wrap data-testid="action">
      {typeSelect}
      {action.type === 'assign' && (
        <>
          <Select
            allowClear
            style={{ width: 200 }}
            placeholder={t('automation.team')}
            value={action.teamId}
            options={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
            onChange={(teamId) => onChange({ ...action, teamId: teamId ?? undefined })}
            data-testid="action-team"
          />
          <Select
            allowClear
            style={{ width: 200 }}
            placeholder={t('automation.strategy')}
            value={action.strategy}
            options={AssignmentStrategy.options.map((s) => ({ value: s, label: t(`automation.strategies.${s}`) }))}
            onChange={(strategy) => onChange({ ...action, strategy: strategy ?? undefined })}
          />
        </>
      )}
      {action.type === 'set_priority' && (
        <Select
          style={{ width: 100 }}
          value={action.priority}
          options={Priority.options.map((p) => ({ value: p, label: p }))}
          onChange={(priority) => onChange({ ...action, priority })}
        />
      )}
      {action.type === 'set_field' && (
        <>
          <Input
            style={{ width: 160 }}
            placeholder={t('automation.fieldKey')}
            value={action.field}
            onChange={(e) => onChange({ ...action, field: e.target.value })}
          />
          <Input
            style={{ width: 200 }}
            value={String(action.value ?? '')}
            onChange={(e) => onChange({ ...action, value: e.target.value })}
          />
        </>
      )}
      {action.type === 'escalate' && (
        <Select
          style={{ width: 140 }}
          value={action.raiseTo}
          options={[
            { value: 'one_step', label: t('automation.oneStep') },
            ...Priority.options.map((p) => ({ value: p, label: p })),
          ]}
          onChange={(raiseTo) => onChange({ ...action, raiseTo })}
        />
      )}
      {(action.type === 'notify' || action.type === 'escalate') && message(action)}
      {action.type === 'comment' && (
        <>
          <Input.TextArea
            style={{ width: 360 }}
            rows={2}
            value={action.body}
            onChange={(e) => onChange({ ...action, body: e.target.value })}
          />
          <Select
            style={{ width: 120 }}
            value={action.visibility}
            options={['internal', 'customer'].map((v) => ({ value: v, label: labelOf(t, 'automation.visibility', v) }))}
            onChange={(visibility) => onChange({ ...action, visibility })}
          />
        </>
      )}
      {action.type === 'create_ticket' && (
        <>
          <Select
            style={{ width: 120 }}
            value={action.kind}
            options={['follow_up', 'task'].map((k) => ({ value: k, label: labelOf(t, 'automation.ticketKinds', k) }))}
            onChange={(kind) => onChange({ ...action, kind })}
          />
          <Input
            style={{ width: 240 }}
            placeholder={t('automation.messageTitle')}
            value={action.title}
            onChange={(e) => onChange({ ...action, title: e.target.value })}
          />
          <Input.TextArea
            style={{ width: 320 }}
            rows={2}
            value={action.description}
            onChange={(e) => onChange({ ...action, description: e.target.value })}
          />
        </>
      )}
      {action.type === 'webhook' && (
        <Select
          style={{ width: 260 }}
          value={action.endpointId || undefined}
          options={(endpoints.data ?? [])
            .filter((e) => e.kind === 'webhook')
            .map((e) => ({ value: e.id, label: e.name }))}
          onChange={(endpointId) => onChange({ ...action, endpointId })}
        />
      )}
    </Space>
  );
}
