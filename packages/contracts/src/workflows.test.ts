import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type WorkflowDefinition, type WorkflowDefinitionInput, workflowProblems } from './workflows';

const names = (s: string) => ({ 'zh-CN': s, 'en-US': s });
const stage = (key: string, lifecycle: string, phase = lifecycle === 'closed' ? 'done' : 'in_progress') => ({
  key,
  name: names(key),
  phase,
  lifecycle,
  position: { x: 0, y: 0 },
});
const move = (key: string, from: string[], to: string, action: string | null = null) => ({
  key,
  name: names(key),
  from,
  to,
  roles: ['agent'],
  action,
  requiredFields: [],
  guards: [],
});
const def = (d: WorkflowDefinitionInput) => d as WorkflowDefinition;

/** A short installation flow: new → scheduling → dispatched → installing → acceptance → done. */
const installation = () =>
  def({
    initial: 'new',
    states: [
      stage('new', 'new', 'open'),
      stage('scheduling', 'triaged', 'open'),
      stage('dispatched', 'dispatched'),
      stage('installing', 'on_site'),
      stage('acceptance', 'resolved', 'waiting'),
      stage('done', 'closed'),
    ],
    transitions: [
      move('accept', ['new'], 'scheduling', 'triage'),
      move('dispatch', ['scheduling'], 'dispatched', 'dispatch'),
      move('arrive', ['dispatched'], 'installing', 'check_in'),
      move('finish', ['installing'], 'acceptance', 'resolve'),
      move('accepts', ['acceptance'], 'done', 'confirm'),
    ],
  } as WorkflowDefinitionInput);

const codes = (d: WorkflowDefinition, fields: string[] = []) =>
  workflowProblems(d, fields).map((p) => `${p.path}:${p.code}`);

describe('workflow validation', () => {
  it('accepts a consistent flow', () => {
    expect(workflowProblems(installation())).toEqual([]);
  });

  it('finds a dead end: a stage that is not done and has no way out', () => {
    const d = installation();
    d.states.push(stage('waiting_parts', 'on_site', 'waiting') as never);
    d.transitions.push(move('parts_missing', ['installing'], 'waiting_parts') as never);
    expect(codes(d)).toEqual(['states.6:workflow.dead_end']);
    // Fixed: the parts arrive and installation goes on.
    d.transitions.push(move('parts_arrived', ['waiting_parts'], 'installing') as never);
    expect(codes(d)).toEqual([]);
  });

  it('finds unreachable stages, a missing terminal stage and stages that never finish', () => {
    const d = installation();
    d.states.push(stage('orphan', 'triaged', 'open') as never);
    d.transitions.push(move('nowhere', ['orphan'], 'scheduling') as never);
    expect(codes(d)).toContain('states.6:workflow.unreachable');

    const noEnd = installation();
    noEnd.states = noEnd.states.filter((s) => s.key !== 'done');
    noEnd.transitions = noEnd.transitions.filter((t) => t.to !== 'done');
    expect(codes(noEnd)).toEqual(expect.arrayContaining(['states:workflow.no_terminal', 'states.4:workflow.dead_end']));

    const loop = installation();
    loop.states.push(stage('limbo_a', 'on_site') as never, stage('limbo_b', 'on_site') as never);
    loop.transitions.push(
      move('into_limbo', ['installing'], 'limbo_a') as never,
      move('a_b', ['limbo_a'], 'limbo_b') as never,
      move('b_a', ['limbo_b'], 'limbo_a') as never,
    );
    expect(codes(loop)).toEqual(['states.6:workflow.never_finishes', 'states.7:workflow.never_finishes']);
  });

  it('refuses transitions the lifecycle engine could not carry out', () => {
    const d = installation();
    d.transitions[1] = move('dispatch', ['new'], 'installing', 'dispatch') as never;
    d.transitions.push(move('skip', ['scheduling'], 'acceptance') as never);
    expect(codes(d)).toEqual(
      expect.arrayContaining([
        'transitions.1.from.0:workflow.action_not_from',
        'transitions.1.to:workflow.action_not_to',
        'transitions.5.from.0:workflow.move_changes_lifecycle',
      ]),
    );
  });

  it('refuses unknown keys, duplicate keys, fields nobody defined and transitions nobody may take', () => {
    const d = installation();
    d.transitions.push({
      ...move('accept', ['ghost'], 'done', 'close'),
      roles: [],
      requiredFields: ['priority', 'runningHours', 'nope'],
    } as never);
    expect(codes(d, ['runningHours'])).toEqual(
      expect.arrayContaining([
        'transitions.5.key:workflow.duplicate_key',
        'transitions.5.from.0:workflow.unknown_state',
        'transitions.5.roles:workflow.no_roles',
        'transitions.5.requiredFields.2:workflow.unknown_field',
      ]),
    );
    expect(codes(d, ['runningHours'])).not.toContain('transitions.5.requiredFields.1:workflow.unknown_field');
  });

  it('needs the initial stage to stand for a new ticket, and done to mean closed', () => {
    const d = installation();
    d.initial = 'scheduling';
    d.states[5]!.phase = 'waiting';
    expect(codes(d)).toEqual(
      expect.arrayContaining([
        'initial:workflow.initial_not_new',
        'states.5.phase:workflow.done_means_closed',
        'states:workflow.no_terminal',
      ]),
    );
  });

  it('refuses two transitions the old action commands could not tell apart', () => {
    const d = installation();
    d.states.push(stage('scheduling_b', 'triaged', 'open') as never);
    d.transitions.push(
      move('accept_b', ['new'], 'scheduling_b', 'triage') as never,
      move('back', ['scheduling_b'], 'scheduling') as never,
    );
    expect(codes(d)).toEqual(['transitions.5:workflow.ambiguous']);
  });

  it('every problem of a random graph names a stage or transition that exists', () => {
    const lifecycles = ['new', 'triaged', 'dispatched', 'on_site', 'resolved', 'closed'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...lifecycles), { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(5), fc.nat(5)), { maxLength: 10 }),
        (stages, edges) => {
          const d = def({
            initial: 's0',
            states: stages.map((l, i) => stage(`s${i}`, l)),
            transitions: edges
              .filter(([a, b]) => a < stages.length && b < stages.length)
              .map(([a, b], i) => move(`t${i}`, [`s${a}`], `s${b}`)),
          } as WorkflowDefinitionInput);
          const problems = workflowProblems(d);
          for (const p of problems) {
            const m = /^(states|transitions)\.(\d+)/.exec(p.path);
            if (m) expect(Number(m[2])).toBeLessThan(m[1] === 'states' ? d.states.length : d.transitions.length);
          }
          // No problems means every stage is reachable and can finish.
          if (problems.length === 0) expect(d.states.some((s) => s.phase === 'done')).toBe(true);
        },
      ),
    );
  });
});
