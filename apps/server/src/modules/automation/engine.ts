import type {
  ConditionLeaf,
  ConditionNode,
  ConditionTrace,
  CreateAutomationRule,
  RuleTrigger,
} from '@serviceloop/contracts';

/**
 * The rule engine, pure: what a rule listens to, whether its conditions hold for the facts of one
 * event, and which rules an event wakes. No I/O, so it is tested and benchmarked without a database.
 */

/** Field path → value, e.g. `ticket.priority` → 'P1', `ticket.fields.lines` → 3. */
export type Facts = Record<string, unknown>;
/** Field path → before/after, from the triggering event's changes. */
export type FactChanges = Record<string, { from: unknown; to: unknown }>;

export interface Situation {
  facts: Facts;
  changes: FactChanges;
}

export interface RuleDefinition extends CreateAutomationRule {
  id: string;
}

export interface CompiledRule {
  rule: RuleDefinition;
  /** Index keys this rule is filed under (see `eventKeys`). */
  keys: string[];
  /** The trigger's own filter beyond its key (clock kind, survey score, lifecycle event list); null: none. */
  accepts: ((event: TriggerEvent) => boolean) | null;
  test: (s: Situation) => boolean;
}

/** The part of a domain event the engine looks at. */
export interface TriggerEvent {
  type: string;
  data: Record<string, unknown>;
  /** Changed field paths (`ticket.priority`, `ticket.fields.lines`). */
  changed: string[];
}

/** How deep actions may trigger further rules before the chain is cut. */
export const MAX_DEPTH = 5;

/** The automation's causal chain carried on events its actions write (`data.automation`). */
export interface Cause {
  ruleIds: string[];
  depth: number;
}

export function causeOf(data: Record<string, unknown>): Cause {
  const a = data.automation as Partial<Cause> | undefined;
  return {
    ruleIds: Array.isArray(a?.ruleIds) ? a.ruleIds.map(String) : [],
    depth: typeof a?.depth === 'number' ? a.depth : 0,
  };
}

// ---- triggers ---------------------------------------------------------------------------------

const LIFECYCLE_EXCLUDED = new Set(['ticket.created', 'ticket.updated']);
/** Events that wake the rules whose trigger has the event's own name. */
const OWN_KEY_EVENTS = new Set([
  'sla.warning',
  'sla.breached',
  'parts.reorder_needed',
  'telemetry.alert',
  'analytics.spike_detected',
]);

/** The index keys an event is looked up by: its trigger type, and one per changed field. */
export function eventKeys(event: TriggerEvent): string[] {
  const keys: string[] = [];
  const t = event.type;
  if (t === 'ticket.created' || t === 'ticket.updated') keys.push(t);
  else if (t.startsWith('ticket.') && !LIFECYCLE_EXCLUDED.has(t)) keys.push('ticket.transitioned');
  else if (OWN_KEY_EVENTS.has(t)) keys.push(t);
  else if (t === 'survey.answered') keys.push('survey.low_score');
  if (t.startsWith('ticket.')) for (const field of event.changed) keys.push(`field:${field}`);
  return keys;
}

function triggerKeys(trigger: RuleTrigger): string[] {
  if (trigger.type === 'field_changed') return [`field:${normaliseField(trigger.field)}`];
  if (trigger.type === 'schedule') return [];
  return [trigger.type];
}

/** `priority` and `ticket.priority` name the same field. */
export const normaliseField = (field: string) =>
  /^(ticket|customer|device|contract|event)\./.test(field) ? field : `ticket.${field}`;

function triggerFilter(trigger: RuleTrigger): ((event: TriggerEvent) => boolean) | null {
  switch (trigger.type) {
    case 'ticket.transitioned': {
      if (trigger.events.length === 0) return null;
      const only = new Set(trigger.events);
      return (e) => only.has(e.type);
    }
    case 'sla.warning':
    case 'sla.breached': {
      const clock = trigger.clock;
      return clock ? (e) => e.data.kind === clock : null;
    }
    case 'survey.low_score': {
      const below = trigger.below;
      return (e) => typeof e.data.csat === 'number' && e.data.csat < below;
    }
    default:
      return null;
  }
}

// ---- conditions -------------------------------------------------------------------------------

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** Values compare as text unless both sides are numbers, so '3' in a form equals 3 in a rule. */
const same = (a: unknown, b: unknown) =>
  a === b || (typeof a === 'number' && typeof b === 'number' ? false : String(a) === String(b));

const numeric = (v: unknown): number | null => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    if (Number.isFinite(n)) return n;
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  if (v instanceof Date) return v.getTime();
  return null;
};

/** Many-valued facts (a category and its parents) match when any of their values does. */
const anyOf = (actual: unknown, test: (v: unknown) => boolean) =>
  Array.isArray(actual) ? actual.some(test) : test(actual);

type LeafTest = (s: Situation) => boolean;

/** A leaf turned into a closure once: sets built, numbers parsed, lower-cased needles ready. */
export function compileLeaf(leaf: ConditionLeaf): LeafTest {
  const field = normaliseField(leaf.field);
  const value = leaf.value;
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const texts = new Set(list.map(String));
  const read = (s: Situation) => s.facts[field];
  const equals = (v: unknown) => same(v, value);
  switch (leaf.op) {
    case 'eq':
      return (s) => anyOf(read(s), equals);
    case 'ne':
      return (s) => !anyOf(read(s), equals);
    case 'in':
      return (s) => anyOf(read(s), (v) => v !== null && v !== undefined && texts.has(String(v)));
    case 'not_in':
      return (s) => !anyOf(read(s), (v) => v !== null && v !== undefined && texts.has(String(v)));
    case 'contains':
    case 'not_contains': {
      const needle = String(value ?? '').toLowerCase();
      const has = (s: Situation) =>
        anyOf(read(s), (v) => v !== null && v !== undefined && String(v).toLowerCase().includes(needle));
      return leaf.op === 'contains' ? has : (s) => !has(s);
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const bound = numeric(value);
      if (bound === null) return () => false;
      const cmp = {
        gt: (a: number) => a > bound,
        gte: (a: number) => a >= bound,
        lt: (a: number) => a < bound,
        lte: (a: number) => a <= bound,
      }[leaf.op];
      return (s) => {
        const a = numeric(read(s));
        return a !== null && cmp(a);
      };
    }
    case 'between': {
      const low = numeric(list[0]);
      const high = numeric(list[1]);
      if (low === null || high === null) return () => false;
      return (s) => {
        const a = numeric(read(s));
        return a !== null && a >= low && a <= high;
      };
    }
    case 'is_empty':
      return (s) => isEmpty(read(s));
    case 'not_empty':
      return (s) => !isEmpty(read(s));
    case 'changed':
      return (s) => field in s.changes;
    case 'changed_to':
      return (s) => {
        const c = s.changes[field];
        return !!c && (value === undefined || same(c.to, value));
      };
    case 'changed_from':
      return (s) => {
        const c = s.changes[field];
        return !!c && (value === undefined || same(c.from, value));
      };
  }
}

const isLeaf = (node: ConditionNode): node is ConditionLeaf => 'field' in node;

/** The tree as one predicate; `all` and `any` stop at the first deciding child. */
export function compileConditions(node: ConditionNode | null | undefined): LeafTest {
  if (!node) return () => true;
  if (isLeaf(node)) return compileLeaf(node);
  if ('not' in node) {
    const inner = compileConditions(node.not);
    return (s) => !inner(s);
  }
  if ('all' in node) {
    const parts = node.all.map(compileConditions);
    return (s) => {
      for (const p of parts) if (!p(s)) return false;
      return true;
    };
  }
  const parts = node.any.map(compileConditions);
  return (s) => {
    for (const p of parts) if (p(s)) return true;
    return parts.length === 0;
  };
}

/** The same decision as `compileConditions`, node by node, for the dry run and the run log. */
export function explain(node: ConditionNode | null | undefined, s: Situation): ConditionTrace | null {
  if (!node) return null;
  if (isLeaf(node)) {
    const field = normaliseField(node.field);
    const actual = node.op.startsWith('changed') ? (s.changes[field] ?? null) : (s.facts[field] ?? null);
    return {
      kind: 'leaf',
      matched: compileLeaf(node)(s),
      field,
      op: node.op,
      expected: node.value ?? null,
      actual,
    };
  }
  if ('not' in node) {
    const child = explain(node.not, s)!;
    return { kind: 'not', matched: !child.matched, children: [child] };
  }
  const kind = 'all' in node ? 'all' : 'any';
  const children = ('all' in node ? node.all : node.any).map((c) => explain(c, s)!);
  const matched =
    kind === 'all' ? children.every((c) => c.matched) : children.length === 0 || children.some((c) => c.matched);
  return { kind, matched, children };
}

/** Leaves of a tree, for checks on save. */
export function leaves(node: ConditionNode | null | undefined, depth = 1): { leaf: ConditionLeaf; depth: number }[] {
  if (!node) return [];
  if (isLeaf(node)) return [{ leaf: node, depth }];
  if ('not' in node) return leaves(node.not, depth + 1);
  return ('all' in node ? node.all : node.any).flatMap((c) => leaves(c, depth + 1));
}

// ---- rule sets --------------------------------------------------------------------------------

export function compileRule(rule: RuleDefinition): CompiledRule {
  return {
    rule,
    keys: triggerKeys(rule.trigger),
    accepts: triggerFilter(rule.trigger),
    test: compileConditions(rule.conditions),
  };
}

/**
 * The enabled rules compiled once and filed by trigger key, in run order, so an event looks at
 * only the rules that listen to it.
 */
export class RuleIndex {
  private readonly byKey = new Map<string, CompiledRule[]>();
  /** Run order (position, then id) as a number, so merging the lists of several keys is cheap. */
  private readonly rank = new Map<CompiledRule, number>();
  /** Keys none of whose rules has a trigger filter. */
  private readonly unfiltered = new Set<string>();
  readonly scheduled: CompiledRule[] = [];
  readonly size: number;

  constructor(rules: RuleDefinition[]) {
    const enabled = rules
      .filter((r) => r.enabled)
      .sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const rule of enabled) {
      const compiled = compileRule(rule);
      this.rank.set(compiled, this.rank.size);
      if (rule.trigger.type === 'schedule') this.scheduled.push(compiled);
      for (const key of compiled.keys) {
        const list = this.byKey.get(key) ?? [];
        list.push(compiled);
        this.byKey.set(key, list);
      }
    }
    for (const [key, list] of this.byKey) if (list.every((c) => !c.accepts)) this.unfiltered.add(key);
    this.size = enabled.length;
  }

  /** The rules an event wakes, in order, each once, without those already in its causal chain. */
  candidates(event: TriggerEvent, cause: Cause = { ruleIds: [], depth: 0 }): CompiledRule[] {
    if (cause.depth >= MAX_DEPTH) return [];
    const keys = eventKeys(event);
    const skip = cause.ruleIds.length > 0 ? new Set(cause.ruleIds) : null;
    // The usual case: one key whose rules filter nothing further — the list itself, no copy.
    if (keys.length === 1 && !skip && this.unfiltered.has(keys[0]!)) return this.byKey.get(keys[0]!)!;
    const found: CompiledRule[] = [];
    for (const key of keys) {
      for (const c of this.byKey.get(key) ?? []) {
        if (skip?.has(c.rule.id) || (c.accepts && !c.accepts(event))) continue;
        found.push(c);
      }
    }
    // One key (the usual case): already in run order. Several: merge by rank, once each.
    if (keys.length < 2 || found.length < 2) return found;
    found.sort((a, b) => this.rank.get(a)! - this.rank.get(b)!);
    return found.filter((c, i) => i === 0 || c !== found[i - 1]);
  }

  /** The rules that match: candidates whose conditions hold, stopping after one that says so. */
  evaluate(event: TriggerEvent, situation: Situation, cause?: Cause): CompiledRule[] {
    const matched: CompiledRule[] = [];
    for (const c of this.candidates(event, cause)) {
      if (!c.test(situation)) continue;
      matched.push(c);
      if (c.rule.stopProcessing) break;
    }
    return matched;
  }
}
