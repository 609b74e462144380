import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haversineKm } from './geo';
import { type Candidate, rankCandidates, type SuggestionJob, scoreCandidate, WEIGHTS } from './scoring';

const now = new Date('2026-12-02T02:00:00Z'); // 10:00 in Shenzhen
const site = { lat: 22.54, lng: 114.06 };
const job: SuggestionJob = {
  requiredSkills: ['elevator'],
  location: site,
  dueAt: new Date('2026-12-02T08:00:00Z'),
  durationMinutes: 120,
  regionCode: '440000',
  modelKnown: true,
};
const candidate = (over: Partial<Candidate>): Candidate => ({
  engineerId: '00000000-0000-7000-8000-000000000001',
  displayName: 'A',
  skills: ['elevator'],
  regionCodes: ['440000'],
  position: { point: { lat: 22.6, lng: 114.1 }, source: 'home' },
  shift: { start: new Date('2026-12-02T00:30:00Z'), end: new Date('2026-12-02T09:30:00Z') },
  onLeave: false,
  jobsToday: 1,
  minutesToday: 90,
  busyUntil: null,
  capacityJobs: 5,
  capacityMinutes: 480,
  history: { visits: 0, averageCsat: null },
  vanParts: [],
  ...over,
});

describe('assignment scoring', () => {
  it('measures great-circle distance (Shenzhen–Guangzhou ≈ 104 km)', () => {
    expect(haversineKm({ lat: 22.5431, lng: 114.0579 }, { lat: 23.1291, lng: 113.2644 })).toBeCloseTo(104, 0);
  });

  it('blocks an engineer lacking a required skill, on leave, off or full, and says why', () => {
    const codes = (c: Partial<Candidate>) => {
      const s = scoreCandidate(job, candidate(c), now);
      expect(s.eligible).toBe(false);
      return s.reasons.filter((r) => r.effect === 'block').map((r) => r.code);
    };
    expect(codes({ skills: ['plc'] })).toEqual(['missing_skills']);
    expect(codes({ onLeave: true, shift: null })).toEqual(['on_leave']);
    expect(codes({ shift: null })).toEqual(['not_working']);
    expect(codes({ jobsToday: 5 })).toEqual(['at_capacity']);
  });

  it('ranks the nearer, less loaded engineer with the part in the van first, with reasons for each part', () => {
    const near = candidate({
      engineerId: '00000000-0000-7000-8000-00000000000a',
      displayName: 'Near',
      position: { point: { lat: 22.55, lng: 114.07 }, source: 'check_in' },
      vanParts: [{ sku: 'DCB-01', quantity: 2 }],
      history: { visits: 3, averageCsat: 5 },
    });
    const far = candidate({
      engineerId: '00000000-0000-7000-8000-00000000000b',
      displayName: 'Far',
      position: { point: { lat: 23.13, lng: 113.26 }, source: 'home' },
      jobsToday: 3,
    });
    const [first, second] = rankCandidates(job, [far, near], now);
    expect(first!.displayName).toBe('Near');
    expect(first!.parts.distance).toBeGreaterThan(second!.parts.distance);
    expect(first!.parts.load).toBeGreaterThan(second!.parts.load);
    expect(first!.parts.parts).toBe(0.5);
    expect(second!.parts.parts).toBe(0);
    const codes = first!.reasons.map((r) => r.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'has_skills',
        'distance_from_site',
        'load',
        'meets_sla',
        'customer_history',
        'van_parts',
      ]),
    );
    expect(second!.reasons.map((r) => r.code)).toContain('no_van_parts');
    const distance = first!.reasons.find((r) => r.code === 'distance_from_site')!;
    expect(distance.params.km).toBeCloseTo(1.5, 0);
  });

  it('sees an SLA it cannot meet', () => {
    const late = scoreCandidate(job, candidate({ busyUntil: new Date('2026-12-02T07:00:00Z') }), now);
    expect(late.reasons.find((r) => r.code === 'misses_sla')?.params.minutes).toBeGreaterThan(0);
    expect(late.parts.urgency).toBeLessThan(1);
  });

  it('keeps every part in 0–1 and the score their weighted sum', () => {
    const point = fc.record({
      lat: fc.double({ min: 18, max: 45, noNaN: true }),
      lng: fc.double({ min: 75, max: 130, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.record({
          position: fc.option(point),
          jobsToday: fc.integer({ min: 0, max: 10 }),
          minutesToday: fc.integer({ min: 0, max: 900 }),
          visits: fc.integer({ min: 0, max: 20 }),
          csat: fc.option(fc.integer({ min: 1, max: 5 })),
          parts: fc.integer({ min: 0, max: 4 }),
        }),
        (x) => {
          const s = scoreCandidate(
            job,
            candidate({
              position: x.position ? { point: x.position, source: 'home' } : null,
              jobsToday: x.jobsToday,
              minutesToday: x.minutesToday,
              history: { visits: x.visits, averageCsat: x.csat },
              vanParts: Array.from({ length: x.parts }, (_, i) => ({ sku: `P${i}`, quantity: 1 })),
            }),
            now,
          );
          let sum = 0;
          for (const [k, v] of Object.entries(s.parts)) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
            sum += WEIGHTS[k as keyof typeof WEIGHTS] * v;
          }
          expect(Math.abs(s.score - sum)).toBeLessThan(0.1);
        },
      ),
    );
  });
});
