import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { greedyNearest } from './baseline';
import { shiftOn, skillsOn, toMinutes, weekdayOf } from './day';
import { type Plan, type PlanEngineer, type PlanJob, playRoute, routeCost } from './itinerary';
import { optimiseDay, unplacedCost } from './optimizer';

/**
 * Both planners, for any generated day: no engineer beyond capacity, outside working hours or
 * on leave, or sent for a job they lack a skill for; no job twice; and the optimiser is
 * deterministic. The engineers are generated as profiles, so the test derives availability from
 * the raw working hours and leave, not from what the planner was told.
 */

const SKILLS = ['elevator', 'escalator', 'plc', 'hv', 'cnc'];
const DATE = '2026-12-02'; // a Wednesday

const profile = fc.record({
  skills: fc.subarray(SKILLS),
  certifications: fc.array(
    fc.record({ tag: fc.constantFrom(...SKILLS), expiresOn: fc.constantFrom(null, '2026-12-01', '2027-06-30') }),
    { maxLength: 2 },
  ),
  workingHours: fc.array(
    fc
      .record({
        weekday: fc.integer({ min: 1, max: 7 }),
        start: fc.integer({ min: 6, max: 11 }),
        hours: fc.integer({ min: 2, max: 10 }),
      })
      .map((w) => ({
        weekday: w.weekday,
        start: `${String(w.start).padStart(2, '0')}:00`,
        end: `${String(w.start + w.hours).padStart(2, '0')}:30`,
      })),
    { maxLength: 7 },
  ),
  leave: fc.array(fc.constantFrom({ from: '2026-11-30', to: '2026-12-02' }, { from: '2026-12-03', to: '2026-12-05' }), {
    maxLength: 1,
  }),
  capacityJobs: fc.integer({ min: 1, max: 6 }),
  capacityHours: fc.integer({ min: 1, max: 8 }),
  home: fc.option(
    fc.record({
      lat: fc.double({ min: 22, max: 24, noNaN: true }),
      lng: fc.double({ min: 113, max: 115, noNaN: true }),
    }),
  ),
});

const job = fc.record({
  location: fc.option(
    fc.record({
      lat: fc.double({ min: 22, max: 24, noNaN: true }),
      lng: fc.double({ min: 113, max: 115, noNaN: true }),
    }),
    { freq: 6 },
  ),
  durationMinutes: fc.integer({ min: 30, max: 240 }),
  requiredSkills: fc.subarray(SKILLS, { maxLength: 2 }),
  due: fc.option(fc.integer({ min: -120, max: 2000 })),
});

const day = fc.record({
  profiles: fc.array(profile, { minLength: 1, maxLength: 6 }),
  jobs: fc.array(job, { maxLength: 25 }),
});

type Profile = typeof profile extends fc.Arbitrary<infer P> ? P : never;

const engineersOf = (profiles: Profile[]): PlanEngineer[] =>
  profiles.map((p, i) => {
    // First-wins per weekday, as the contract allows one window a day.
    const workingHours = p.workingHours.filter(
      (w, k) => p.workingHours.findIndex((x) => x.weekday === w.weekday) === k,
    );
    return {
      id: `e${String(i).padStart(2, '0')}`,
      skills: skillsOn({ skills: p.skills, certifications: p.certifications }, DATE),
      start: p.home,
      home: p.home,
      shift: shiftOn({ workingHours, leave: p.leave }, DATE),
      busyUntil: 0,
      jobsLeft: p.capacityJobs,
      minutesLeft: p.capacityHours * 60,
    };
  });

const jobsOf = (jobs: (typeof job extends fc.Arbitrary<infer J> ? J : never)[]): PlanJob[] =>
  jobs.map((j, i) => ({ id: `j${String(i).padStart(3, '0')}`, ...j }));

function assertValid(plan: Plan, profiles: Profile[], jobs: PlanJob[]) {
  const ids = plan.stops.map((s) => s.jobId);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.length + plan.unassigned.length).toBe(jobs.length);
  for (const [i, p] of profiles.entries()) {
    const id = `e${String(i).padStart(2, '0')}`;
    const mine = plan.stops.filter((s) => s.engineerId === id);
    if (mine.length === 0) continue;
    // Not on leave, and a working day.
    expect(p.leave.some((l) => l.from <= DATE && DATE <= l.to)).toBe(false);
    const window = p.workingHours.find((w) => w.weekday === weekdayOf(DATE));
    expect(window).toBeDefined();
    for (const s of mine) {
      expect(s.start).toBeGreaterThanOrEqual(toMinutes(window!.start));
      expect(s.end).toBeLessThanOrEqual(toMinutes(window!.end));
      const j = jobs.find((x) => x.id === s.jobId)!;
      const valid = [
        ...p.skills,
        ...p.certifications.filter((c) => c.expiresOn === null || c.expiresOn >= DATE).map((c) => c.tag),
      ];
      for (const skill of j.requiredSkills) expect(valid).toContain(skill);
    }
    expect(mine.length).toBeLessThanOrEqual(p.capacityJobs);
    const work = mine.reduce((sum, s) => sum + (s.end - s.start), 0);
    expect(work).toBeLessThanOrEqual(p.capacityHours * 60 + 1e-6);
    // Stops of one engineer never overlap.
    const sorted = [...mine].sort((a, b) => a.start - b.start);
    for (let k = 1; k < sorted.length; k++) expect(sorted[k]!.start).toBeGreaterThanOrEqual(sorted[k - 1]!.end - 1e-6);
  }
}

describe('day planners', () => {
  it('the optimiser never breaks capacity, hours, leave or skills, and assigns each job at most once', () => {
    fc.assert(
      fc.property(day, ({ profiles, jobs }) => {
        const planJobs = jobsOf(jobs);
        assertValid(optimiseDay(engineersOf(profiles), planJobs), profiles, planJobs);
      }),
      { numRuns: 150 },
    );
  });

  it('the greedy baseline keeps the same rules', () => {
    fc.assert(
      fc.property(day, ({ profiles, jobs }) => {
        const planJobs = jobsOf(jobs);
        assertValid(greedyNearest(engineersOf(profiles), planJobs), profiles, planJobs);
      }),
      { numRuns: 150 },
    );
  });

  it('the optimiser is deterministic, whatever order its inputs come in', () => {
    fc.assert(
      fc.property(day, ({ profiles, jobs }) => {
        const engineers = engineersOf(profiles);
        const planJobs = jobsOf(jobs);
        const a = optimiseDay(engineers, planJobs);
        const b = optimiseDay([...engineers].reverse(), [...planJobs].reverse());
        expect(b).toEqual(a);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps the only engineer with a skill for the job that needs it', () => {
    const here = { lat: 22.54, lng: 114.06 };
    const base = { busyUntil: 0, jobsLeft: 5, minutesLeft: 480, shift: { start: 510, end: 1050 } };
    const engineers: PlanEngineer[] = [
      { id: 'near', skills: ['elevator'], start: here, home: here, ...base },
      { id: 'far', skills: ['elevator', 'hv'], start: { lat: 23.13, lng: 113.26 }, home: null, ...base, jobsLeft: 1 },
    ];
    const plan = optimiseDay(engineers, [
      { id: 'j1', location: here, durationMinutes: 60, requiredSkills: ['hv'], due: null },
      { id: 'j2', location: here, durationMinutes: 60, requiredSkills: ['elevator'], due: null },
    ]);
    expect(plan.stops.find((s) => s.jobId === 'j1')?.engineerId).toBe('far');
    expect(plan.stops.find((s) => s.jobId === 'j2')?.engineerId).toBe('near');
  });

  it('explains a job nobody can take', () => {
    const plan = optimiseDay(
      [
        {
          id: 'e',
          skills: [],
          start: null,
          home: null,
          shift: { start: 480, end: 1020 },
          busyUntil: 0,
          jobsLeft: 1,
          minutesLeft: 480,
        },
      ],
      [
        { id: 'a', location: null, durationMinutes: 60, requiredSkills: ['hv'], due: null },
        { id: 'b', location: null, durationMinutes: 60, requiredSkills: [], due: null },
        { id: 'c', location: null, durationMinutes: 60, requiredSkills: [], due: null },
      ],
    );
    expect(plan.unassigned).toEqual(
      expect.arrayContaining([
        { jobId: 'a', reason: 'field.no_skilled_engineer' },
        { jobId: expect.stringMatching(/^[bc]$/), reason: 'field.no_capacity' },
      ]),
    );
    expect(plan.stops).toHaveLength(1);
  });

  it('beats the baseline on a crowded day where the nearest engineer is the wrong one', () => {
    // Two clusters far apart; greedy sends the first urgent job of cluster B to an A engineer.
    const a = { lat: 22.54, lng: 114.06 };
    const b = { lat: 23.13, lng: 113.26 };
    const base = { busyUntil: 0, jobsLeft: 4, minutesLeft: 480, shift: { start: 480, end: 1080 }, skills: [] };
    const engineers: PlanEngineer[] = [
      { id: 'ea', start: a, home: a, ...base },
      { id: 'eb', start: b, home: b, ...base },
    ];
    const jobs: PlanJob[] = [
      { id: 'a1', location: a, durationMinutes: 60, requiredSkills: [], due: 700 },
      { id: 'b1', location: b, durationMinutes: 60, requiredSkills: [], due: 600 },
      { id: 'a2', location: { lat: 22.56, lng: 114.1 }, durationMinutes: 60, requiredSkills: [], due: 800 },
      { id: 'b2', location: { lat: 23.1, lng: 113.3 }, durationMinutes: 60, requiredSkills: [], due: 800 },
    ];
    const optimised = optimiseDay(engineers, jobs);
    const greedy = greedyNearest(engineers, jobs);
    expect(optimised.totals.travelMinutes).toBeLessThanOrEqual(greedy.totals.travelMinutes);
    expect(
      optimised.stops
        .filter((s) => s.engineerId === 'eb')
        .map((s) => s.jobId)
        .sort(),
    ).toEqual(['b1', 'b2']);
  });
});

/**
 * Larger days than a profile list makes, so that each job is weighed against only some of the
 * engineers (the candidate lists) and jobs without a position share the team: the same rules hold,
 * and local search never leaves the plan worse than the regret insertion it started from.
 */
describe('the optimiser at scale', () => {
  const point = fc.record({
    lat: fc.double({ min: 22.4, max: 23.3, noNaN: true }),
    lng: fc.double({ min: 113, max: 114.5, noNaN: true }),
  });
  const crowd = fc.record({
    engineers: fc.array(
      fc.record({
        skills: fc.subarray(SKILLS.slice(0, 3), { minLength: 1 }),
        home: fc.option(point, { freq: 8 }),
        shift: fc.option(
          fc.constantFrom({ start: 480, end: 1020 }, { start: 540, end: 1080 }, { start: 600, end: 840 }),
          {
            freq: 8,
          },
        ),
        busyUntil: fc.constantFrom(0, 600),
        jobsLeft: fc.integer({ min: 0, max: 6 }),
        minutesLeft: fc.integer({ min: 60, max: 480 }),
      }),
      { minLength: 1, maxLength: 24 },
    ),
    jobs: fc.array(
      fc.record({
        location: fc.option(point, { freq: 8 }),
        durationMinutes: fc.constantFrom(30, 45, 60, 90, 120, 180),
        requiredSkills: fc.subarray(SKILLS.slice(0, 3), { maxLength: 1 }),
        due: fc.option(fc.integer({ min: -60, max: 2400 }), { freq: 4 }),
      }),
      { maxLength: 80 },
    ),
    candidates: fc.integer({ min: 1, max: 6 }),
  });
  const build = (c: { engineers: Omit<PlanEngineer, 'id' | 'start'>[]; jobs: Omit<PlanJob, 'id'>[] }) => ({
    engineers: c.engineers.map((e, i) => ({ ...e, id: `e${String(i).padStart(2, '0')}`, start: e.home })),
    jobs: c.jobs.map((j, i) => ({ ...j, id: `j${String(i).padStart(3, '0')}` })),
  });
  /** The optimiser's objective, replayed with `playRoute` from the plan's stops. */
  const objective = (engineers: PlanEngineer[], jobs: PlanJob[], plan: Plan) => {
    let total = 0;
    for (const e of engineers) {
      const route = plan.stops.filter((s) => s.engineerId === e.id).map((s) => jobs.find((j) => j.id === s.jobId)!);
      const outcome = playRoute(e, route);
      expect(outcome.feasible).toBe(true);
      total += routeCost(outcome);
    }
    for (const u of plan.unassigned) total += unplacedCost(jobs.find((j) => j.id === u.jobId)!);
    return total;
  };

  it('keeps every rule, plans each job at most once and is never worse than its starting solution', () => {
    fc.assert(
      fc.property(crowd, (c) => {
        const { engineers, jobs } = build(c);
        const start = optimiseDay(engineers, jobs, { candidates: c.candidates, improve: false });
        const plan = optimiseDay(engineers, jobs, { candidates: c.candidates });
        for (const p of [start, plan]) {
          const ids = p.stops.map((s) => s.jobId);
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids.length + p.unassigned.length).toBe(jobs.length);
          for (const s of p.stops) {
            const e = engineers.find((x) => x.id === s.engineerId)!;
            const j = jobs.find((x) => x.id === s.jobId)!;
            expect(j.requiredSkills.every((k) => e.skills.includes(k))).toBe(true);
            expect(e.shift).not.toBeNull();
            expect(s.start).toBeGreaterThanOrEqual(Math.max(e.shift!.start, e.busyUntil));
            expect(s.end).toBeLessThanOrEqual(e.shift!.end);
          }
          for (const e of engineers) {
            const mine = p.stops.filter((s) => s.engineerId === e.id);
            expect(mine.length).toBeLessThanOrEqual(e.jobsLeft);
            expect(mine.reduce((sum, s) => sum + (s.end - s.start), 0)).toBeLessThanOrEqual(e.minutesLeft + 1e-6);
          }
        }
        // Local search never plans fewer jobs, and with as many never costs more.
        expect(plan.stops.length).toBeGreaterThanOrEqual(start.stops.length);
        if (plan.stops.length === start.stops.length)
          expect(objective(engineers, jobs, plan)).toBeLessThanOrEqual(objective(engineers, jobs, start) + 1e-6);
      }),
      { numRuns: 120 },
    );
  });

  it('gives the same plan whatever order the engineers and jobs come in', () => {
    fc.assert(
      fc.property(crowd, (c) => {
        const { engineers, jobs } = build(c);
        const a = optimiseDay(engineers, jobs, { candidates: c.candidates });
        const b = optimiseDay([...engineers].reverse(), [...jobs].reverse(), { candidates: c.candidates });
        expect(b).toEqual(a);
      }),
      { numRuns: 40 },
    );
  });

  it('places a job whose nearest engineers are full with someone further away', () => {
    const here = { lat: 23.1291, lng: 113.2644 };
    const far = { lat: 22.5431, lng: 114.0579 };
    const base = { skills: [], busyUntil: 0, minutesLeft: 480, shift: { start: 480, end: 1080 } };
    const engineers: PlanEngineer[] = [
      { id: 'a', start: here, home: here, jobsLeft: 1, ...base },
      { id: 'b', start: here, home: here, jobsLeft: 1, ...base },
      { id: 'z', start: far, home: far, jobsLeft: 3, ...base },
    ];
    const jobs: PlanJob[] = ['j1', 'j2', 'j3'].map((id) => ({
      id,
      location: here,
      durationMinutes: 60,
      requiredSkills: [],
      due: null,
    }));
    const plan = optimiseDay(engineers, jobs, { candidates: 2 });
    expect(plan.unassigned).toEqual([]);
    expect(plan.stops.filter((s) => s.engineerId === 'z')).toHaveLength(1);
  });
});
