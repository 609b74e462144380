import { z } from 'zod';
import { patchOf, Timestamp } from './common';
import { Priority } from './tickets';

/**
 * Automation rules (event → condition → action). One schema source for the rule editor and the
 * server, which validates a rule here, checks it once more against the field catalogue and then
 * compiles it once into a predicate.
 */

// ---- triggers ---------------------------------------------------------------------------------

/**
 * What wakes a rule. Ticket triggers name the event types they come from; `field_changed` fires on
 * any ticket event whose changes touch the field; `schedule` is a cron expression evaluated in
 * Asia/Shanghai, run over the open tickets the conditions select.
 */
export const RuleTrigger = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ticket.created') }),
  z.object({ type: z.literal('ticket.updated') }),
  z.object({
    type: z.literal('ticket.transitioned'),
    /** Lifecycle events that count (e.g. `ticket.triaged`); empty = every lifecycle event. */
    events: z
      .array(z.string().regex(/^ticket\.[a-z_]+$/))
      .max(30)
      .default([]),
  }),
  z.object({ type: z.literal('field_changed'), field: z.string().min(1).max(80) }),
  z.object({ type: z.literal('sla.warning'), clock: z.enum(['response', 'resolution']).optional() }),
  z.object({ type: z.literal('sla.breached'), clock: z.enum(['response', 'resolution']).optional() }),
  z.object({ type: z.literal('survey.low_score'), below: z.number().int().min(1).max(5) }),
  z.object({ type: z.literal('parts.reorder_needed') }),
  z.object({ type: z.literal('telemetry.alert') }),
  /** A product model, batch or region whose tickets rose significantly (analytics' daily spike test). */
  z.object({ type: z.literal('analytics.spike_detected') }),
  z.object({
    type: z.literal('schedule'),
    cron: z
      .string()
      .trim()
      .min(9)
      .max(100)
      .regex(/^[\d*/,\-\sA-Za-z?LW#]+$/, { message: 'validation.automation.cron' }),
  }),
]);
export type RuleTrigger = z.infer<typeof RuleTrigger>;
export const TRIGGER_TYPES = RuleTrigger.options.map((o) => o.shape.type.value);
export type TriggerType = RuleTrigger['type'];

// ---- conditions -------------------------------------------------------------------------------

export const ConditionOperator = z.enum([
  'eq',
  'ne',
  'in',
  'not_in',
  'contains',
  'not_contains',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'is_empty',
  'not_empty',
  'changed',
  'changed_to',
  'changed_from',
]);
export type ConditionOperator = z.infer<typeof ConditionOperator>;

export type FieldValueType = 'text' | 'number' | 'enum' | 'boolean' | 'datetime' | 'id' | 'list';

/** Which operators make sense for a value type; the server refuses the rest when a rule is saved. */
export const OPERATORS_BY_TYPE: Record<FieldValueType, ConditionOperator[]> = {
  text: ['eq', 'ne', 'in', 'not_in', 'contains', 'not_contains', 'is_empty', 'not_empty', 'changed', 'changed_to'],
  number: ['eq', 'ne', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'is_empty', 'not_empty', 'changed'],
  enum: ['eq', 'ne', 'in', 'not_in', 'is_empty', 'not_empty', 'changed', 'changed_to', 'changed_from'],
  boolean: ['eq', 'ne', 'is_empty', 'not_empty', 'changed', 'changed_to'],
  datetime: ['gt', 'gte', 'lt', 'lte', 'between', 'is_empty', 'not_empty', 'changed'],
  id: ['eq', 'ne', 'in', 'not_in', 'is_empty', 'not_empty', 'changed', 'changed_to', 'changed_from'],
  list: ['contains', 'not_contains', 'is_empty', 'not_empty'],
};

/**
 * China's seven macro regions (大区) by the first two digits of a province code, so a rule can say
 * "in 华东" without listing provinces.
 */
export const MACRO_REGIONS: Record<string, string[]> = {
  华北: ['11', '12', '13', '14', '15'],
  东北: ['21', '22', '23'],
  华东: ['31', '32', '33', '34', '35', '36', '37'],
  华中: ['41', '42', '43'],
  华南: ['44', '45', '46'],
  西南: ['50', '51', '52', '53', '54'],
  西北: ['61', '62', '63', '64', '65'],
  港澳台: ['71', '81', '82'],
};

export const macroRegionOf = (regionCode: string | null | undefined): string | null => {
  if (!regionCode) return null;
  const prefix = regionCode.slice(0, 2);
  return Object.entries(MACRO_REGIONS).find(([, codes]) => codes.includes(prefix))?.[0] ?? null;
};

/**
 * The fields a condition may read, with their value type and labels. Custom fields are
 * `ticket.fields.<key>` (typed by their form definition); `event.<key>` reads the triggering
 * event's data (e.g. `event.csat` of a survey, `event.kind` of an SLA clock).
 */
export const RULE_FIELDS: Record<string, { type: FieldValueType; zh: string; en: string; values?: readonly string[] }> =
  {
    'ticket.id': { type: 'id', zh: '工单', en: 'Ticket' },
    'ticket.number': { type: 'text', zh: '工单号', en: 'Ticket number' },
    'ticket.priority': { type: 'enum', zh: '优先级', en: 'Priority', values: Priority.options },
    'ticket.severity': {
      type: 'enum',
      zh: '严重程度',
      en: 'Severity',
      values: ['critical', 'major', 'minor', 'cosmetic'],
    },
    'ticket.state': { type: 'text', zh: '状态', en: 'State' },
    'ticket.channel': { type: 'text', zh: '报修渠道', en: 'Channel' },
    'ticket.type': { type: 'text', zh: '工单类型', en: 'Ticket type' },
    'ticket.serviceType': {
      type: 'enum',
      zh: '服务方式',
      en: 'Service type',
      values: ['remote', 'onsite', 'return_to_factory'],
    },
    'ticket.category': { type: 'text', zh: '故障类别（含上级类别名称）', en: 'Fault category (or its parent)' },
    'ticket.categoryCode': { type: 'text', zh: '故障类别编码', en: 'Fault category code' },
    'ticket.categoryId': { type: 'id', zh: '故障类别', en: 'Fault category' },
    'ticket.customerId': { type: 'id', zh: '客户', en: 'Customer' },
    'ticket.deviceId': { type: 'id', zh: '设备', en: 'Device' },
    'ticket.regionCode': { type: 'text', zh: '地区编码', en: 'Region code' },
    'ticket.area': {
      type: 'enum',
      zh: '大区',
      en: 'Macro region',
      values: Object.keys(MACRO_REGIONS),
    },
    'ticket.title': { type: 'text', zh: '标题', en: 'Title' },
    'ticket.description': { type: 'text', zh: '故障描述', en: 'Description' },
    'ticket.assigneeId': { type: 'id', zh: '处理人', en: 'Assignee' },
    'ticket.teamId': { type: 'id', zh: '团队', en: 'Team' },
    'ticket.isRepeat': { type: 'boolean', zh: '重复维修', en: 'Repeat repair' },
    'ticket.reopenCount': { type: 'number', zh: '重开次数', en: 'Times reopened' },
    'ticket.ageMinutes': { type: 'number', zh: '报修至今（分钟）', en: 'Minutes since reported' },
    'ticket.reportedAt': { type: 'datetime', zh: '报修时间', en: 'Reported at' },
    'ticket.warrantyStatus': { type: 'text', zh: '保修状态', en: 'Warranty status' },
    'customer.name': { type: 'text', zh: '客户名称', en: 'Customer name' },
    'customer.tier': { type: 'enum', zh: '客户等级', en: 'Customer tier', values: ['standard', 'vip'] },
    'customer.industry': { type: 'text', zh: '行业', en: 'Industry' },
    'device.serialNumber': { type: 'text', zh: '序列号', en: 'Serial number' },
    'device.modelCode': { type: 'text', zh: '产品型号', en: 'Product model' },
    'device.batch': { type: 'text', zh: '生产批次', en: 'Production batch' },
    'device.firmware': { type: 'text', zh: '固件版本', en: 'Firmware' },
    'contract.slaTier': { type: 'text', zh: '合同服务级别', en: 'Contract service level' },
    'contract.coverage': { type: 'text', zh: '合同保障范围', en: 'Contract coverage' },
    'contract.active': { type: 'boolean', zh: '合同有效', en: 'Contract in force' },
    'event.type': { type: 'text', zh: '事件类型', en: 'Event type' },
  };

const FieldPath = z
  .string()
  .min(3)
  .max(120)
  .regex(/^(ticket|customer|device|contract|event)\.[A-Za-z][\w.]*$/, { message: 'validation.automation.field' });

const ConditionValue = z.union([
  z.string().max(500),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string().max(500), z.number()])).max(200),
]);

export const ConditionLeaf = z.object({
  field: FieldPath,
  op: ConditionOperator,
  value: ConditionValue.optional(),
});
export type ConditionLeaf = z.infer<typeof ConditionLeaf>;

export type ConditionNode =
  | { all: ConditionNode[] }
  | { any: ConditionNode[] }
  | { not: ConditionNode }
  | ConditionLeaf;

/** An all/any/not tree of leaves, at most 6 levels deep and 100 leaves (checked on save). */
export const ConditionNode: z.ZodType<ConditionNode> = z
  .lazy(() =>
    z.union([
      z.object({ all: z.array(ConditionNode).max(50) }).strict(),
      z.object({ any: z.array(ConditionNode).max(50) }).strict(),
      z.object({ not: ConditionNode }).strict(),
      ConditionLeaf.strict(),
    ]),
  )
  .meta({ id: 'ConditionNode' }); // named, so the OpenAPI document can refer to the recursion

// ---- actions ----------------------------------------------------------------------------------

const templateText = (max: number) => z.string().trim().min(1).max(max);

/** Whom a notify or escalate action reaches; channels apply to people (endpoints have their own). */
export const RuleRecipient = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), userId: z.uuid() }),
  z.object({ kind: z.literal('role'), role: z.string().min(1).max(40) }),
  z.object({ kind: z.literal('assignee') }),
  z.object({ kind: z.literal('team_manager') }),
  z.object({ kind: z.literal('endpoint'), endpointId: z.uuid() }),
]);
export type RuleRecipient = z.infer<typeof RuleRecipient>;

export const RuleNotifyChannel = z.enum(['in_app', 'email', 'sms']);

export const AssignmentStrategy = z.enum(['round_robin', 'least_loaded', 'skill_region']);
export type AssignmentStrategy = z.infer<typeof AssignmentStrategy>;

export const RuleAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('set_priority'), priority: Priority }),
  z.object({
    type: z.literal('set_field'),
    /** A custom field key of the ticket type. */
    field: z.string().regex(/^[a-zA-Z][\w]{0,49}$/),
    value: z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]),
  }),
  z.object({
    type: z.literal('assign'),
    userId: z.uuid().optional(),
    teamId: z.uuid().optional(),
    /** Pick an engineer (of the team when one is named) instead of naming one. */
    strategy: AssignmentStrategy.optional(),
  }),
  z.object({
    type: z.literal('notify'),
    recipients: z.array(RuleRecipient).min(1).max(20),
    channels: z.array(RuleNotifyChannel).max(3).default(['in_app']),
    title: templateText(200),
    body: templateText(2000),
  }),
  z.object({
    type: z.literal('escalate'),
    /** Raise by one step (P3 → P2 …) or to a named priority; never lowers. */
    raiseTo: z.union([Priority, z.literal('one_step')]).default('one_step'),
    recipients: z.array(RuleRecipient).min(1).max(20),
    channels: z.array(RuleNotifyChannel).max(3).default(['in_app', 'sms']),
    title: templateText(200),
    body: templateText(2000),
  }),
  z.object({
    type: z.literal('comment'),
    body: templateText(5000),
    visibility: z.enum(['internal', 'customer']).default('internal'),
  }),
  z.object({
    type: z.literal('create_ticket'),
    title: templateText(200),
    description: z.string().trim().min(10).max(5000),
    /** A follow-up ticket (linked `follow_up`) or an internal task on the same customer/device. */
    kind: z.enum(['follow_up', 'task']).default('follow_up'),
  }),
  z.object({ type: z.literal('webhook'), endpointId: z.uuid() }),
]);
export type RuleAction = z.infer<typeof RuleAction>;

// ---- rules ------------------------------------------------------------------------------------

export const CreateAutomationRule = z.object({
  name: z.string().trim().min(2).max(100),
  description: z.string().trim().max(1000).nullable().optional(),
  enabled: z.boolean().default(true),
  /** Lower runs first within a trigger. */
  position: z.number().int().min(0).max(100_000).default(100),
  trigger: RuleTrigger,
  /** No conditions = always. */
  conditions: ConditionNode.nullable().default(null),
  actions: z.array(RuleAction).min(1).max(20),
  /** Later rules of the same trigger are skipped once this one matched. */
  stopProcessing: z.boolean().default(false),
});
export type CreateAutomationRule = z.infer<typeof CreateAutomationRule>;

export const UpdateAutomationRule = patchOf(CreateAutomationRule);

export const AutomationRule = CreateAutomationRule.extend({
  id: z.uuid(),
  version: z.number().int(),
  createdAt: Timestamp,
}).meta({ id: 'AutomationRule' });
export type AutomationRule = z.infer<typeof AutomationRule>;

export const AutomationRuleQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  q: z.string().trim().max(100).optional(),
  trigger: z.enum(TRIGGER_TYPES as [TriggerType, ...TriggerType[]]).optional(),
});

/** Each condition node's outcome, in the tree's shape: what the dry run and the run log show. */
export type ConditionTrace = {
  matched: boolean;
  kind: 'all' | 'any' | 'not' | 'leaf';
  field?: string;
  op?: string;
  expected?: unknown;
  actual?: unknown;
  children?: ConditionTrace[];
};
export const ConditionTrace: z.ZodType<ConditionTrace> = z
  .lazy(() =>
    z.object({
      matched: z.boolean(),
      kind: z.enum(['all', 'any', 'not', 'leaf']),
      field: z.string().optional(),
      op: z.string().optional(),
      expected: z.unknown().optional(),
      actual: z.unknown().optional(),
      children: z.array(ConditionTrace).optional(),
    }),
  )
  .meta({ id: 'ConditionTrace' });

/** One action's outcome (or, in a dry run, what it would do). */
export const ActionOutcome = z.object({
  type: z.string(),
  status: z.enum(['done', 'skipped', 'failed', 'planned']),
  summary: z.string(),
  /** What it acted on: the assignee, the follow-up ticket. */
  target: z.string().optional(),
  error: z.string().optional(),
});
export type ActionOutcome = z.infer<typeof ActionOutcome>;

export const DryRunInput = z.object({
  ticketId: z.uuid(),
  /** Test an unsaved rule (the editor's current state); without it, the saved rule is tested. */
  rule: CreateAutomationRule.optional(),
});

export const DryRunResult = z
  .object({
    matched: z.boolean(),
    trace: ConditionTrace.nullable(),
    actions: z.array(ActionOutcome),
  })
  .meta({ id: 'AutomationDryRun' });
export type DryRunResult = z.infer<typeof DryRunResult>;

export const AutomationRun = z
  .object({
    id: z.uuid(),
    ruleId: z.uuid(),
    eventId: z.string().nullable(),
    eventType: z.string(),
    ticketId: z.uuid().nullable(),
    matched: z.boolean(),
    trace: ConditionTrace.nullable(),
    actions: z.array(ActionOutcome),
    error: z.string().nullable(),
    depth: z.number().int(),
    durationMs: z.number(),
    occurredAt: Timestamp,
  })
  .meta({ id: 'AutomationRun' });
export type AutomationRun = z.infer<typeof AutomationRun>;

export const AutomationRunQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  matched: z.enum(['true', 'false']).optional(),
});
