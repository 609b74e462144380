import type { ConditionNode, CreateAutomationRule } from '@serviceloop/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { raised } from './actions';
import {
  compileConditions,
  explain,
  MAX_DEPTH,
  type RuleDefinition,
  RuleIndex,
  type Situation,
  type TriggerEvent,
} from './engine';
import { situation } from './facts';
import { customFieldType, fieldType, nextCronRun, ruleProblems } from './validate';

const facts = {
  'ticket.priority': 'P1',
  'ticket.category': ['核心部件损坏', 'Core part damaged', '硬件失灵', 'Hardware failure'],
  'ticket.area': '华东',
  'ticket.reopenCount': 2,
  'ticket.reportedAt': '2026-03-02T01:00:00.000Z',
  'ticket.fields.lines': '3',
  'ticket.title': '主轴报警 ALM-401',
  'customer.tier': 'vip',
  'ticket.assigneeId': null,
};
const s: Situation = { facts, changes: { 'ticket.priority': { from: 'P2', to: 'P1' } } };
const holds = (node: ConditionNode, on: Situation = s) => compileConditions(node)(on);
const leaf = (field: string, op: string, value?: unknown) => ({ field, op, value }) as ConditionNode;

describe('conditions', () => {
  it('apply each typed operator', () => {
    expect(holds(leaf('ticket.priority', 'eq', 'P1'))).toBe(true);
    expect(holds(leaf('priority', 'ne', 'P1'))).toBe(false);
    expect(holds(leaf('ticket.priority', 'in', ['P0', 'P1']))).toBe(true);
    expect(holds(leaf('ticket.priority', 'not_in', ['P0', 'P1']))).toBe(false);
    // A category matches by its own name or its parent's.
    expect(holds(leaf('ticket.category', 'eq', '硬件失灵'))).toBe(true);
    expect(holds(leaf('ticket.category', 'eq', '软件故障'))).toBe(false);
    expect(holds(leaf('ticket.title', 'contains', 'alm-401'))).toBe(true);
    expect(holds(leaf('ticket.title', 'not_contains', '异响'))).toBe(true);
    // A form's '3' compares as the number 3.
    expect(holds(leaf('ticket.fields.lines', 'gt', 2))).toBe(true);
    expect(holds(leaf('ticket.fields.lines', 'gte', 3))).toBe(true);
    expect(holds(leaf('ticket.fields.lines', 'lt', 3))).toBe(false);
    expect(holds(leaf('ticket.fields.lines', 'lte', 3))).toBe(true);
    expect(holds(leaf('ticket.reopenCount', 'between', [1, 2]))).toBe(true);
    expect(holds(leaf('ticket.reopenCount', 'between', [3, 9]))).toBe(false);
    expect(holds(leaf('ticket.reportedAt', 'lt', '2026-03-02T09:30:00+08:00'))).toBe(true);
    expect(holds(leaf('ticket.assigneeId', 'is_empty'))).toBe(true);
    expect(holds(leaf('ticket.missing', 'is_empty'))).toBe(true);
    expect(holds(leaf('customer.tier', 'not_empty'))).toBe(true);
    expect(holds(leaf('ticket.priority', 'changed'))).toBe(true);
    expect(holds(leaf('ticket.priority', 'changed_to', 'P1'))).toBe(true);
    expect(holds(leaf('ticket.priority', 'changed_from', 'P3'))).toBe(false);
    expect(holds(leaf('ticket.area', 'changed'))).toBe(false);
    // Numbers never match text that is not a number.
    expect(holds(leaf('ticket.title', 'gt', 1))).toBe(false);
  });

  it('combine all / any / not, and explain every node the way the predicate decided', () => {
    const tree: ConditionNode = {
      all: [
        leaf('ticket.category', 'eq', '硬件失灵'),
        { any: [leaf('ticket.area', 'eq', '华南'), leaf('customer.tier', 'eq', 'vip')] },
        { not: leaf('ticket.priority', 'eq', 'P0') },
      ],
    };
    expect(holds(tree)).toBe(true);
    const trace = explain(tree, s)!;
    expect(trace.matched).toBe(true);
    expect(trace.children!.map((c) => c.matched)).toEqual([true, true, true]);
    expect(trace.children![1]!.children!.map((c) => [c.field, c.matched, c.actual])).toEqual([
      ['ticket.area', false, '华东'],
      ['customer.tier', true, 'vip'],
    ]);
    expect(holds({ any: [] })).toBe(true);
    expect(holds({ all: [leaf('ticket.area', 'eq', '华南')] })).toBe(false);
  });

  it('agree with their explanation on random trees (property)', () => {
    const leafArb = fc.record({
      field: fc.constantFrom('ticket.priority', 'ticket.area', 'ticket.reopenCount', 'customer.tier'),
      op: fc.constantFrom('eq', 'ne', 'in', 'gt', 'lte', 'is_empty', 'changed', 'changed_to'),
      value: fc.oneof(fc.constantFrom('P1', '华东', 'vip', 2, 0), fc.constant(['P0', 'P1'])),
    }) as fc.Arbitrary<ConditionNode>;
    const tree = fc.letrec<{ node: ConditionNode }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leafArb,
        fc.record({ all: fc.array(tie('node'), { maxLength: 3 }) }),
        fc.record({ any: fc.array(tie('node'), { maxLength: 3 }) }),
        fc.record({ not: tie('node') }),
      ),
    })).node;
    fc.assert(fc.property(tree, (node) => compileConditions(node)(s) === explain(node, s)!.matched));
  });
});

const rule = (id: string, over: Partial<CreateAutomationRule>): RuleDefinition => ({
  id,
  name: id,
  description: null,
  enabled: true,
  position: 100,
  trigger: { type: 'ticket.created' },
  conditions: null,
  actions: [{ type: 'comment', body: 'x', visibility: 'internal' }],
  stopProcessing: false,
  ...over,
});
const event = (type: string, data: Record<string, unknown> = {}, changed: string[] = []): TriggerEvent => ({
  type,
  data,
  changed,
});

describe('the rule index', () => {
  const index = new RuleIndex([
    rule('b-created', { position: 20 }),
    rule('a-created', { position: 10, conditions: leaf('ticket.area', 'eq', '华东') }),
    rule('off', { enabled: false }),
    rule('triaged', { trigger: { type: 'ticket.transitioned', events: ['ticket.triaged'] } }),
    rule('any-lifecycle', { trigger: { type: 'ticket.transitioned', events: [] } }),
    rule('priority', { trigger: { type: 'field_changed', field: 'priority' } }),
    rule('breach-response', { trigger: { type: 'sla.breached', clock: 'response' } }),
    rule('low-score', { trigger: { type: 'survey.low_score', below: 3 } }),
    rule('cron', { trigger: { type: 'schedule', cron: '0 9 * * 1-5' } }),
  ]);
  const ids = (e: TriggerEvent, cause?: { ruleIds: string[]; depth: number }) =>
    index.candidates(e, cause).map((c) => c.rule.id);

  it('wakes only the rules filed under the event, in order, enabled ones only', () => {
    expect(index.size).toBe(8);
    expect(index.scheduled.map((c) => c.rule.id)).toEqual(['cron']);
    expect(ids(event('ticket.created'))).toEqual(['a-created', 'b-created']);
    expect(ids(event('ticket.triaged', {}, ['ticket.priority']))).toEqual(['any-lifecycle', 'priority', 'triaged']);
    expect(ids(event('ticket.commented'))).toEqual(['any-lifecycle']);
    expect(ids(event('sla.breached', { kind: 'response' }))).toEqual(['breach-response']);
    expect(ids(event('sla.breached', { kind: 'resolution' }))).toEqual([]);
    expect(ids(event('survey.answered', { csat: 2 }))).toEqual(['low-score']);
    expect(ids(event('survey.answered', { csat: 3 }))).toEqual([]);
    expect(ids(event('parts.reorder_needed'))).toEqual([]);
  });

  it('skips rules already in the causal chain and stops at the depth cap', () => {
    expect(ids(event('ticket.created'), { ruleIds: ['a-created'], depth: 1 })).toEqual(['b-created']);
    expect(ids(event('ticket.created'), { ruleIds: [], depth: MAX_DEPTH })).toEqual([]);
  });

  it('evaluates conditions and honours stop-processing', () => {
    const matched = (idx: RuleIndex, sit: Situation) =>
      idx.evaluate(event('ticket.created'), sit).map((c) => c.rule.id);
    expect(matched(index, s)).toEqual(['a-created', 'b-created']);
    expect(matched(index, { facts: { 'ticket.area': '华北' }, changes: {} })).toEqual(['b-created']);
    const stopping = new RuleIndex([rule('first', { position: 1, stopProcessing: true }), rule('second', {})]);
    expect(matched(stopping, s)).toEqual(['first']);
  });

  it('reads the event data as event.* facts but not the causal chain', () => {
    const sit = situation(
      { 'ticket.priority': 'P0' },
      {
        type: 'sla.breached',
        data: { kind: 'response', automation: { ruleIds: ['x'], depth: 1 } },
        changes: { priority: { from: 'P1', to: 'P0' } },
      },
    );
    expect(sit.facts['event.kind']).toBe('response');
    expect(sit.facts['event.automation']).toBeUndefined();
    expect(sit.changes['ticket.priority']).toEqual({ from: 'P1', to: 'P0' });
  });
});

describe('rule checks on save', () => {
  const kinds = new Map([
    ['lines', 'number'],
    ['parts', 'multiSelect'],
  ]);
  it('type custom fields by their form definition', () => {
    expect(fieldType('ticket.fields.lines', kinds)).toBe('number');
    expect(fieldType('ticket.fields.parts', kinds)).toBe('list');
    expect(fieldType('ticket.fields.unknown', kinds)).toBe('text');
    expect(fieldType('ticket.nope', kinds)).toBeNull();
    expect(customFieldType('date')).toBe('datetime');
  });
  it('refuse unknown fields, operators that do not fit, malformed values and bad cron, by path', () => {
    expect(
      ruleProblems(
        {
          trigger: { type: 'schedule', cron: '99 9 * * *' },
          conditions: {
            all: [
              leaf('ticket.nope', 'eq', 1),
              leaf('ticket.priority', 'gt', 'P1'),
              leaf('ticket.fields.lines', 'between', [1]),
              leaf('ticket.area', 'in', []),
              leaf('ticket.fields.lines', 'gte', 2),
            ],
          },
        },
        kinds,
      ),
    ).toEqual([
      { path: 'conditions.all.0.field', code: 'validation.automation.field' },
      { path: 'conditions.all.1.op', code: 'validation.automation.operator' },
      { path: 'conditions.all.2.value', code: 'validation.automation.value_range' },
      { path: 'conditions.all.3.value', code: 'validation.automation.value_list' },
      { path: 'trigger.cron', code: 'validation.automation.cron' },
    ]);
  });
});

describe('schedules and escalation steps', () => {
  it('reads cron in China Standard Time', () => {
    // Friday 2026-03-06 10:00 in Shanghai: the next weekday 09:00 there is Monday, 01:00 UTC.
    expect(nextCronRun('0 9 * * 1-5', new Date('2026-03-06T10:00:00+08:00'))?.toISOString()).toBe(
      '2026-03-09T01:00:00.000Z',
    );
    // 23:30 UTC Sunday is already Monday 07:30 in Shanghai.
    expect(nextCronRun('30 8 * * 1', new Date('2026-03-08T23:30:00Z'))?.toISOString()).toBe('2026-03-09T00:30:00.000Z');
  });
  it('raises priority, never lowers it', () => {
    expect(raised('P2', 'one_step')).toBe('P1');
    expect(raised('P0', 'one_step')).toBeNull();
    expect(raised('P1', 'P0')).toBe('P0');
    expect(raised('P0', 'P2')).toBeNull();
    expect(raised(null, 'one_step')).toBe('P1');
  });
});
