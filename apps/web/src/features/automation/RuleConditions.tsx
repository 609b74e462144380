import { CheckCircleTwoTone, CloseCircleTwoTone, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  type ConditionLeaf,
  type ConditionNode,
  type ConditionOperator,
  type ConditionTrace,
  type FieldDefinition,
  type FieldValueType,
  OPERATORS_BY_TYPE,
  RULE_FIELDS,
} from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Select, Space, Typography } from 'antd';
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
