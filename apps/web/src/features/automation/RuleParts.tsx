import { CheckCircleTwoTone, CloseCircleTwoTone, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  AssignmentStrategy,
  type ConditionLeaf,
  type ConditionNode,
  type ConditionOperator,
  type ConditionTrace,
  type FieldDefinition,
  type FieldValueType,
  OPERATORS_BY_TYPE,
  Priority,
  ROLES,
  RULE_FIELDS,
  type RuleAction,
  type RuleRecipient,
} from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { get } from '../../lib/api';

type Group = { all: ConditionNode[] } | { any: ConditionNode[] };
const isLeaf = (n: ConditionNode): n is ConditionLeaf => 'field' in n;
const childrenOf = (g: Group) => ('all' in g ? g.all : g.any);
const withChildren = (g: Group, children: ConditionNode[]): Group =>
  'all' in g ? { all: children } : { any: children };

/** The fields a condition can read: the catalogue plus the repair form's custom fields. */
export function useRuleFields() {
  const { i18n } = useTranslation();
  const custom = useQuery({
    queryKey: ['forms', 'repair'],
    queryFn: () => get<FieldDefinition[]>('/forms/fields?ticketType=repair'),
  });
  const zh = i18n.language !== 'en-US';
  const kindType = (kind: string): FieldValueType =>
    kind === 'number' || kind === 'money'
      ? 'number'
      : kind === 'date' || kind === 'datetime'
        ? 'datetime'
        : kind === 'checkbox'
          ? 'boolean'
          : kind === 'multiSelect'
            ? 'list'
            : 'text';
  const fields = [
    ...Object.entries(RULE_FIELDS).map(([path, f]) => ({
      value: path,
      label: zh ? f.zh : f.en,
      type: f.type,
      values: f.values,
    })),
    ...(custom.data ?? []).map((f) => ({
      value: `ticket.fields.${f.key}`,
      label: `${zh ? f.labelZh : f.labelEn} (${f.key})`,
      type: kindType(f.kind),
      values: f.choices?.map((c) => c.value),
    })),
  ];
  return fields;
}

type RuleField = ReturnType<typeof useRuleFields>[number];

function LeafEditor({
  leaf,
  fields,
  onChange,
}: {
  leaf: ConditionLeaf;
  fields: RuleField[];
  onChange: (leaf: ConditionLeaf) => void;
}) {
  const { t } = useTranslation();
  const field = fields.find((f) => f.value === leaf.field);
  const ops = OPERATORS_BY_TYPE[field?.type ?? 'text'];
  const many = leaf.op === 'in' || leaf.op === 'not_in' || leaf.op === 'between';
  const none = leaf.op === 'is_empty' || leaf.op === 'not_empty' || leaf.op === 'changed';
  const asValue = (v: string) =>
    field?.type === 'number' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v;
  return (
    <Space wrap data-testid="condition-leaf">
      <Select
        showSearch
        optionFilterProp="label"
        style={{ width: 220 }}
        value={leaf.field}
        options={fields}
        onChange={(value) => onChange({ field: value, op: 'eq', value: undefined })}
        data-testid="condition-field"
      />
      <Select
        style={{ width: 140 }}
        value={leaf.op}
        options={ops.map((op) => ({ value: op, label: t(`automation.ops.${op}`) }))}
        onChange={(op: ConditionOperator) => onChange({ ...leaf, op })}
        data-testid="condition-op"
      />
      {!none &&
        (many ? (
          <Select
            mode="tags"
            style={{ minWidth: 220 }}
            value={(Array.isArray(leaf.value) ? leaf.value : []).map(String)}
            options={(field?.values ?? []).map((v) => ({ value: v, label: v }))}
            onChange={(values: string[]) => onChange({ ...leaf, value: values.map(asValue) as string[] })}
            data-testid="condition-values"
          />
        ) : field?.values ? (
          <Select
            showSearch
            style={{ minWidth: 160 }}
            value={leaf.value as string | undefined}
            options={field.values.map((v) => ({ value: v, label: v }))}
            onChange={(value) => onChange({ ...leaf, value })}
            data-testid="condition-value"
          />
        ) : (
          <Input
            style={{ width: 200 }}
            value={leaf.value === undefined || leaf.value === null ? '' : String(leaf.value)}
            onChange={(e) => onChange({ ...leaf, value: asValue(e.target.value) })}
            data-testid="condition-value"
          />
        ))}
    </Space>
  );
}

/** An all/any group of conditions and nested groups, edited in place. */
export function ConditionGroup({
  node,
  fields,
  onChange,
  onRemove,
  depth = 0,
}: {
  node: Group;
  fields: RuleField[];
  onChange: (node: Group) => void;
  onRemove?: () => void;
  depth?: number;
}) {
  const { t } = useTranslation();
  const children = childrenOf(node);
  const set = (i: number, child: ConditionNode | null) =>
    onChange(
      withChildren(node, child ? children.map((c, j) => (i === j ? child : c)) : children.filter((_, j) => j !== i)),
    );
  return (
    <Card size="small" style={{ marginLeft: depth * 16 }} data-testid="condition-group">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space>
          <Select
            value={'all' in node ? 'all' : 'any'}
            style={{ width: 200 }}
            options={[
              { value: 'all', label: t('automation.all') },
              { value: 'any', label: t('automation.any') },
            ]}
            onChange={(kind) => onChange(kind === 'all' ? { all: children } : { any: children })}
          />
          {onRemove && <Button size="small" icon={<DeleteOutlined />} onClick={onRemove} />}
        </Space>
        {children.map((child, i) =>
          isLeaf(child) ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity beyond their place.
            <Space key={i}>
              <LeafEditor leaf={child} fields={fields} onChange={(leaf) => set(i, leaf)} />
              <Button size="small" icon={<DeleteOutlined />} onClick={() => set(i, null)} />
            </Space>
          ) : 'not' in child ? null : (
            <ConditionGroup
              // biome-ignore lint/suspicious/noArrayIndexKey: as above.
              key={i}
              node={child}
              fields={fields}
              depth={depth + 1}
              onChange={(g) => set(i, g)}
              onRemove={() => set(i, null)}
            />
          ),
        )}
        <Space>
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() =>
              onChange(withChildren(node, [...children, { field: 'ticket.priority', op: 'eq', value: 'P1' }]))
            }
            data-testid="add-condition"
          >
            {t('automation.addCondition')}
          </Button>
          {depth < 4 && (
            <Button size="small" onClick={() => onChange(withChildren(node, [...children, { any: [] }]))}>
              {t('automation.addGroup')}
            </Button>
          )}
        </Space>
      </Space>
    </Card>
  );
}

/** A dry run's tree: each node with ✓ or ✗ and, for leaves, the value it saw. */
export function TraceView({ trace }: { trace: ConditionTrace }) {
  const { t } = useTranslation();
  const mark = trace.matched ? (
    <CheckCircleTwoTone twoToneColor="#52c41a" />
  ) : (
    <CloseCircleTwoTone twoToneColor="#ff4d4f" />
  );
  if (trace.kind === 'leaf')
    return (
      <div data-testid="trace-leaf" data-matched={trace.matched}>
        {mark} <code>{trace.field}</code> {labelOf(t, 'automation.ops', String(trace.op))}{' '}
        <code>{JSON.stringify(trace.expected)}</code>
        <Typography.Text type="secondary">
          {' '}
          — {t('automation.actual')}: {JSON.stringify(trace.actual)}
        </Typography.Text>
      </div>
    );
  return (
    <div>
      {mark} {t(`automation.${trace.kind}`)}
      <div style={{ paddingLeft: 20 }}>
        {trace.children?.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: trace nodes mirror the tree's positions.
          <TraceView key={i} trace={c} />
        ))}
      </div>
    </div>
  );
}

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

export function OutcomeTag({ status }: { status: string }) {
  const { t } = useTranslation();
  const color = { done: 'green', planned: 'blue', skipped: undefined, failed: 'red' }[status];
  return <Tag color={color}>{labelOf(t, 'automation.status', status)}</Tag>;
}
