import { z } from 'zod';
import { Role } from './permissions';
import { type TicketAction, TicketState, TicketType } from './tickets';

/**
 * Ticket types and their workflows. A workflow is a graph of stages above the canonical ticket
 * lifecycle: each stage says which lifecycle state the ticket is in while there (SLA, analytics,
 * portal and field read that state), and each transition may perform one built-in lifecycle
 * action. `workflowProblems` is the one check the designer shows live and the server refuses
 * activation with.
 */

export const Phase = z.enum(['open', 'in_progress', 'waiting', 'done']);
export type Phase = z.infer<typeof Phase>;

/**
 * The lifecycle engine's own rules, shared with the server's `decide()`: from which states each
 * action may be taken, and which states it can leave the ticket in.
 */
const ENDED: TicketState[] = ['closed', 'cancelled'];
const OPEN: TicketState[] = TicketState.options.filter((s) => !ENDED.includes(s));
export const ACTION_FROM: Record<TicketAction, readonly TicketState[]> = {
  triage: ['new'],
  start_remote: ['triaged'],
  record_remote: ['remote_support'],
  dispatch: ['triaged', 'remote_support', 'dispatched', 'on_site'],
  check_in: ['dispatched'],
  check_out: ['on_site'],
  resolve: ['remote_support', 'on_site'],
  request_confirmation: ['resolved'],
  confirm: ['resolved', 'awaiting_confirmation'],
  close: ['resolved', 'awaiting_confirmation'],
  suspend: OPEN.filter((s) => s !== 'suspended'),
  resume: ['suspended'],
  transfer: OPEN,
  cancel: ['new', 'triaged', 'remote_support', 'dispatched', 'on_site', 'suspended'],
  reopen: ['resolved', 'awaiting_confirmation', 'closed'],
  comment: TicketState.options,
};

/**
 * Actions that work inside any stage and never move the ticket between stages: notes, visits
 * ending, hand-overs, and the suspend/resume/cancel side exits (suspended and cancelled are
 * lifecycle states, not stages: the ticket keeps its stage and returns to it on resume).
 */
export const AMBIENT_ACTIONS: readonly TicketAction[] = [
  'comment',
  'record_remote',
  'check_out',
  'transfer',
  'suspend',
  'resume',
  'cancel',
];

/** The lifecycle state(s) a stage-moving action leaves the ticket in. */
export const ACTION_PRODUCES: Partial<Record<TicketAction, readonly TicketState[]>> = {
  triage: ['triaged'],
  start_remote: ['remote_support'],
  dispatch: ['dispatched'],
  check_in: ['on_site'],
  resolve: ['resolved'],
  request_confirmation: ['awaiting_confirmation'],
  // Signing closes the ticket when the verification is complete, else it waits for a manager.
  confirm: ['closed', 'awaiting_confirmation'],
  close: ['closed'],
  reopen: ['triaged'],
};
export const STAGE_ACTIONS = Object.keys(ACTION_PRODUCES) as TicketAction[];

/** The lifecycle states a stage may stand for (suspended and cancelled are side exits). */
export const StageLifecycle = TicketState.exclude(['suspended', 'cancelled']);

/** Named conditions a transition may require, evaluated by the server on the ticket. */
export const Guard = z.enum([
  'checklist_complete',
  'customer_confirmed',
  'has_checked_out_visit',
  'quote_approved',
  'priority_set',
  'assigned',
]);
export type Guard = z.infer<typeof Guard>;

/** Ticket columns a transition may require to be filled (besides the type's custom fields). */
export const BUILTIN_REQUIRED_FIELDS = [
  'priority',
  'categoryId',
  'assigneeId',
  'deviceId',
  'customerId',
  'contactPhone',
  'serviceAddress',
] as const;

const Key = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, { message: 'validation.workflow_key' })
  .describe('Stable key: lower-case letters, digits and underscores');
export const Names = z.object({
  'zh-CN': z.string().trim().min(1).max(60),
  'en-US': z.string().trim().min(1).max(60),
});

export const StageDefinition = z.object({
  key: Key,
  name: Names,
  phase: Phase,
  lifecycle: StageLifecycle,
  position: z.object({ x: z.number().finite(), y: z.number().finite() }).default({ x: 0, y: 0 }),
});
export type StageDefinition = z.infer<typeof StageDefinition>;

export const TransitionDefinition = z.object({
  key: Key,
  name: Names,
  from: z.array(z.string().max(40)).min(1).max(50),
  to: z.string().max(40),
  roles: z.array(Role).max(Role.options.length),
  action: z
    .enum(STAGE_ACTIONS as [TicketAction, ...TicketAction[]])
    .nullable()
    .default(null),
  requiredFields: z.array(z.string().max(50)).max(50).default([]),
  guards: z.array(Guard).max(Guard.options.length).default([]),
});
export type TransitionDefinition = z.infer<typeof TransitionDefinition>;

export const WorkflowDefinition = z.object({
  initial: z.string().max(40),
  states: z.array(StageDefinition).min(1).max(50),
  transitions: z.array(TransitionDefinition).max(200),
});
export type WorkflowDefinition = z.infer<typeof WorkflowDefinition>;
export type WorkflowDefinitionInput = z.input<typeof WorkflowDefinition>;

export const WorkflowStatus = z.enum(['draft', 'active', 'retired']);

export const WorkflowVersionSummary = z
  .object({
    id: z.uuid(),
    ticketType: TicketType,
    version: z.number().int(),
    status: WorkflowStatus,
    revision: z.number().int(),
    createdBy: z.uuid().nullable(),
    createdAt: z.string(),
    activatedAt: z.string().nullable(),
    ticketCount: z.number().int().optional(),
  })
  .meta({ id: 'WorkflowVersionSummary' });

export const WorkflowVersion = WorkflowVersionSummary.extend({
  definition: WorkflowDefinition,
  problems: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })),
}).meta({ id: 'WorkflowVersion' });
export type WorkflowVersion = z.infer<typeof WorkflowVersion>;

export const TicketTypeInfo = z
  .object({
    key: TicketType,
    nameZh: z.string(),
    nameEn: z.string(),
    activeVersion: z.object({ id: z.uuid(), version: z.number().int() }).nullable(),
    draft: z.object({ id: z.uuid(), version: z.number().int() }).nullable(),
  })
  .meta({ id: 'TicketTypeInfo' });

export const CreateDraft = z.object({
  ticketType: TicketType,
  /** Start from this definition; without it the draft copies the active version. */
  definition: WorkflowDefinition.optional(),
});
export const SaveDraft = z.object({ revision: z.number().int().min(1), definition: WorkflowDefinition });
export const ActivateDraft = z.object({ revision: z.number().int().min(1) });

/** What the ticket page offers: the ticket's stage and the transitions this caller may take from it. */
export const OfferedTransition = z.object({
  key: z.string(),
  name: Names,
  action: z.string().nullable(),
  to: z.object({ key: z.string(), name: Names, phase: Phase }),
  requiredFields: z.array(z.string()),
  /** Required fields still empty on the ticket: the form must ask for them. */
  missingFields: z.array(z.string()),
  /** Guards that do not hold now; the transition is shown but refused until they do. */
  failedGuards: z.array(Guard),
});
export const TicketWorkflowView = z
  .object({
    ticketType: TicketType,
    workflowVersionId: z.uuid(),
    workflowVersion: z.number().int(),
    stage: z.object({ key: z.string(), name: Names, phase: Phase }),
    transitions: z.array(OfferedTransition),
  })
  .meta({ id: 'TicketWorkflowView' });
export type TicketWorkflowView = z.infer<typeof TicketWorkflowView>;

/** Taking one workflow transition: the action's own inputs (if it has one) beside custom field values. */
export const TakeTransition = z
  .object({
    version: z.number().int().min(1),
    fields: z.record(z.string(), z.unknown()).default({}),
  })
  .loose();

/** One problem of a workflow definition; `code` is an i18n key, `path` points at the offending part. */
export interface WorkflowProblem {
  path: string;
  code: string;
  params?: Record<string, unknown>;
}

/**
 * Everything that keeps a definition from being activated: unknown keys, unreachable stages,
 * dead ends (a stage that is not done and has no way out, or from which no done stage can be
 * reached), no terminal stage, and transitions the lifecycle engine could not carry out.
 * `customFields` are the type's custom field keys a transition may require.
 */
export function workflowProblems(def: WorkflowDefinition, customFields: readonly string[] = []): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  const add = (path: string, code: string, params?: Record<string, unknown>) =>
    problems.push({ path, code, ...(params ? { params } : {}) });
  const byKey = new Map<string, StageDefinition>();
  def.states.forEach((s, i) => {
    if (byKey.has(s.key)) add(`states.${i}.key`, 'workflow.duplicate_key', { key: s.key });
    else byKey.set(s.key, s);
    if ((s.lifecycle === 'closed') !== (s.phase === 'done'))
      add(`states.${i}.phase`, 'workflow.done_means_closed', { state: s.key });
  });
  const initial = byKey.get(def.initial);
  if (!initial) add('initial', 'workflow.unknown_state', { key: def.initial });
  else if (initial.lifecycle !== 'new') add('initial', 'workflow.initial_not_new', { state: def.initial });
  if (!def.states.some((s) => s.phase === 'done')) add('states', 'workflow.no_terminal');

  const fieldKeys = new Set<string>([...BUILTIN_REQUIRED_FIELDS, ...customFields]);
  const transitionKeys = new Set<string>();
  def.transitions.forEach((t, i) => {
    const at = `transitions.${i}`;
    if (transitionKeys.has(t.key)) add(`${at}.key`, 'workflow.duplicate_key', { key: t.key });
    transitionKeys.add(t.key);
    const to = byKey.get(t.to);
    if (!to) add(`${at}.to`, 'workflow.unknown_state', { key: t.to });
    const from = t.from.map((k) => byKey.get(k));
    t.from.forEach((k, j) => {
      if (!byKey.has(k)) add(`${at}.from.${j}`, 'workflow.unknown_state', { key: k });
    });
    if (t.roles.length === 0) add(`${at}.roles`, 'workflow.no_roles', { transition: t.key });
    t.requiredFields.forEach((f, j) => {
      if (!fieldKeys.has(f)) add(`${at}.requiredFields.${j}`, 'workflow.unknown_field', { key: f });
    });
    if (!to || from.some((s) => !s)) return;
    if (t.action) {
      const allowedFrom = ACTION_FROM[t.action];
      t.from.forEach((k, j) => {
        const lifecycle = byKey.get(k)!.lifecycle;
        if (!allowedFrom.includes(lifecycle))
          add(`${at}.from.${j}`, 'workflow.action_not_from', { action: t.action, state: k, lifecycle });
      });
      if (!ACTION_PRODUCES[t.action]!.includes(to.lifecycle))
        add(`${at}.to`, 'workflow.action_not_to', {
          action: t.action,
          state: t.to,
          expected: ACTION_PRODUCES[t.action]!.join(', '),
        });
    } else {
      // A pure stage move runs no engine command, so the lifecycle state cannot change.
      t.from.forEach((k, j) => {
        if (byKey.get(k)!.lifecycle !== to.lifecycle)
          add(`${at}.from.${j}`, 'workflow.move_changes_lifecycle', { state: k, to: t.to });
      });
    }
  });

  // The old action commands pick their transition by action, stage and resulting state: it must be one.
  const seen = new Map<string, string>();
  def.transitions.forEach((t, i) => {
    const to = byKey.get(t.to);
    if (!t.action || !to) return;
    for (const f of t.from) {
      const k = `${t.action}|${f}|${to.lifecycle}`;
      const other = seen.get(k);
      if (other && other !== t.key)
        add(`transitions.${i}`, 'workflow.ambiguous', { action: t.action, state: f, other });
      else seen.set(k, t.key);
    }
  });

  if (initial) {
    const next = new Map<string, string[]>();
    for (const t of def.transitions)
      for (const f of t.from) next.set(f, [...(next.get(f) ?? []), ...(byKey.has(t.to) ? [t.to] : [])]);
    const reached = walk([def.initial], (k) => next.get(k) ?? []);
    const prev = new Map<string, string[]>();
    for (const [f, tos] of next) for (const t of tos) prev.set(t, [...(prev.get(t) ?? []), f]);
    const finishing = walk(
      def.states.filter((s) => s.phase === 'done').map((s) => s.key),
      (k) => prev.get(k) ?? [],
    );
    def.states.forEach((s, i) => {
      if (!reached.has(s.key)) add(`states.${i}`, 'workflow.unreachable', { state: s.key });
      else if (s.phase !== 'done' && (next.get(s.key) ?? []).length === 0)
        add(`states.${i}`, 'workflow.dead_end', { state: s.key });
      else if (s.phase !== 'done' && finishing.size > 0 && !finishing.has(s.key))
        add(`states.${i}`, 'workflow.never_finishes', { state: s.key });
    });
  }
  return problems;
}

function walk(start: string[], next: (key: string) => string[]): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  while (queue.length > 0)
    for (const n of next(queue.shift()!))
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
  return seen;
}

/** Bilingual texts of the problems, used by the server's error messages and the designer alike. */
export const WORKFLOW_MESSAGES: Record<string, { 'zh-CN': string; 'en-US': string }> = {
  'validation.workflow_key': {
    'zh-CN': '键以小写字母开头，只含小写字母、数字和下划线（最多 40 位）',
    'en-US': 'A key starts with a lower-case letter and has up to 40 lower-case letters, digits and underscores',
  },
  'workflow.duplicate_key': { 'zh-CN': '键“{key}”重复', 'en-US': 'The key “{key}” is used twice' },
  'workflow.unknown_state': { 'zh-CN': '没有状态“{key}”', 'en-US': 'There is no state “{key}”' },
  'workflow.unknown_field': { 'zh-CN': '没有字段“{key}”', 'en-US': 'There is no field “{key}”' },
  'workflow.done_means_closed': {
    'zh-CN': '状态“{state}”：完成阶段的状态对应“已关闭”，反之亦然',
    'en-US': 'State “{state}”: a done state stands for “closed”, and “closed” is done',
  },
  'workflow.initial_not_new': {
    'zh-CN': '初始状态“{state}”须对应“新建”',
    'en-US': 'The initial state “{state}” must stand for “new”',
  },
  'workflow.no_terminal': { 'zh-CN': '没有终止（完成）状态', 'en-US': 'There is no terminal (done) state' },
  'workflow.no_roles': {
    'zh-CN': '流转“{transition}”没有可执行的角色',
    'en-US': 'Nobody may take the transition “{transition}”',
  },
  'workflow.action_not_from': {
    'zh-CN': '动作“{action}”不能从状态“{state}”（{lifecycle}）执行',
    'en-US': 'The action “{action}” cannot start from the state “{state}” ({lifecycle})',
  },
  'workflow.action_not_to': {
    'zh-CN': '动作“{action}”之后工单处于 {expected}，目标状态“{state}”不符',
    'en-US': 'After “{action}” a ticket is {expected}; the target state “{state}” does not match',
  },
  'workflow.move_changes_lifecycle': {
    'zh-CN': '不执行动作的流转不能改变生命周期（“{state}”→“{to}”）',
    'en-US': 'A transition without an action cannot change the lifecycle state (“{state}” → “{to}”)',
  },
  'workflow.ambiguous': {
    'zh-CN': '从“{state}”执行“{action}”已由流转“{other}”到达同类状态',
    'en-US': '“{action}” from “{state}” already leads to the same kind of state through “{other}”',
  },
  'workflow.unreachable': {
    'zh-CN': '状态“{state}”从初始状态不可达',
    'en-US': 'The state “{state}” cannot be reached from the initial state',
  },
  'workflow.dead_end': {
    'zh-CN': '状态“{state}”是死胡同：未完成且没有出去的流转',
    'en-US': 'The state “{state}” is a dead end: not done and no transition leaves it',
  },
  'workflow.never_finishes': {
    'zh-CN': '从状态“{state}”无法到达任何完成状态',
    'en-US': 'No done state can be reached from the state “{state}”',
  },
};
