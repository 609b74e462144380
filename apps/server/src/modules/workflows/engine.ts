import {
  BUILTIN_REQUIRED_FIELDS,
  type Guard,
  type Role,
  type StageDefinition,
  type TicketAction,
  type TicketState,
  type TransitionDefinition,
  type WorkflowDefinition,
} from '@serviceloop/contracts';

/**
 * How a ticket moves through its workflow, as pure functions: which transitions a caller sees
 * from a stage, which one an action command takes, which guards hold and which required fields
 * are still empty. The tickets service asks these inside its transaction.
 */

/** What the guards look at, read from the ticket before the transition. */
export interface GuardFacts {
  checklistComplete: boolean;
  confirmed: boolean;
  hasCheckedOutVisit: boolean;
  quoteApproved: boolean;
  priority: string | null;
  assigneeId: string | null;
}

const GUARDS: Record<Guard, (f: GuardFacts) => boolean> = {
  checklist_complete: (f) => f.checklistComplete,
  customer_confirmed: (f) => f.confirmed,
  has_checked_out_visit: (f) => f.hasCheckedOutVisit,
  quote_approved: (f) => f.quoteApproved,
  priority_set: (f) => f.priority !== null,
  assigned: (f) => f.assigneeId !== null,
};

export const failedGuards = (t: TransitionDefinition, facts: GuardFacts): Guard[] =>
  t.guards.filter((g) => !GUARDS[g](facts));

export const stageOf = (def: WorkflowDefinition, key: string): StageDefinition | undefined =>
  def.states.find((s) => s.key === key);

export const mayTake = (t: TransitionDefinition, roles: readonly Role[]) => t.roles.some((r) => roles.includes(r));

/** Transitions leaving a stage that one of these roles may take. */
export const transitionsFrom = (def: WorkflowDefinition, stage: string, roles: readonly Role[]) =>
  def.transitions.filter((t) => t.from.includes(stage) && mayTake(t, roles));

/**
 * The transition a built-in action command takes: the one with that action leaving the stage and
 * ending in a stage of the state the lifecycle engine produced (validation keeps it unique).
 */
export function transitionForAction(
  def: WorkflowDefinition,
  stage: string,
  action: TicketAction,
  produced: TicketState,
): TransitionDefinition | undefined {
  return def.transitions.find(
    (t) => t.action === action && t.from.includes(stage) && stageOf(def, t.to)?.lifecycle === produced,
  );
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
const BUILTIN = new Set<string>(BUILTIN_REQUIRED_FIELDS);

/**
 * Required fields still empty: built-in ones are read from the ticket's columns, the others from
 * its custom field values (both as they will be after the transition).
 */
export function missingFields(
  t: TransitionDefinition,
  ticket: Record<string, unknown>,
  fields: Record<string, unknown>,
): string[] {
  return t.requiredFields.filter((f) => isEmpty(BUILTIN.has(f) ? ticket[f] : fields[f]));
}
