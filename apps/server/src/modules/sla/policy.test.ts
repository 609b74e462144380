import { describe, expect, it } from 'vitest';
import { businessCalendar } from './calendar';
import { defaultPolicyTargets, onWorkingDays } from './defaults';
import { matchPolicy, type PolicyCandidate } from './policy';
import { elapsedMinutes, pausedMinutesAfterResume, remainingMinutes, schedule } from './timing';

const policy = (id: string, over: Partial<PolicyCandidate> = {}): PolicyCandidate => ({
  id,
  priority: 'P2',
  customerTier: null,
  contractId: null,
  active: true,
  ...over,
});

describe('policy matching', () => {
  const all = [
    policy('catch-all'),
    policy('vip', { customerTier: 'vip' }),
    policy('standard', { customerTier: 'standard' }),
    policy('contract', { contractId: 'C1' }),
    policy('vip-contract', { customerTier: 'vip', contractId: 'C1' }),
    policy('p1', { priority: 'P1' }),
  ];
  const match = (customerTier: 'vip' | 'standard' | null, contractId: string | null, from = all) =>
    matchPolicy(from, { priority: 'P2', customerTier, contractId })?.id ?? null;

  it('prefers contract and tier together, then contract, then tier, then the catch-all', () => {
    expect(match('vip', 'C1')).toBe('vip-contract');
    expect(match('standard', 'C1')).toBe('contract');
    expect(match('vip', null)).toBe('vip');
    expect(match('standard', 'C2')).toBe('standard');
    expect(match(null, null)).toBe('catch-all');
  });

  it('ignores other priorities and inactive policies, and may find nothing', () => {
    const inactive = all.map((p) => (p.id === 'vip' ? { ...p, active: false } : p));
    expect(match('vip', null, inactive)).toBe('catch-all');
    expect(
      match(
        'vip',
        null,
        all.filter((p) => p.priority === 'P1'),
      ),
    ).toBeNull();
    expect(match(null, null, [policy('vip-only', { customerTier: 'vip' })])).toBeNull();
  });
});

describe('default targets', () => {
  it('keeps P0/P1 wall-clock and reads days as working days for P2/P3', () => {
    expect(defaultPolicyTargets('P0')).toEqual({
      calendar: 'round-the-clock',
      responseMinutes: 30,
      resolutionMinutes: 240,
    });
    expect(defaultPolicyTargets('P1')).toEqual({
      calendar: 'round-the-clock',
      responseMinutes: 120,
      resolutionMinutes: 1440,
    });
    expect(defaultPolicyTargets('P2')).toEqual({
      calendar: 'cn-workdays',
      responseMinutes: 480,
      resolutionMinutes: 1620,
    });
    expect(defaultPolicyTargets('P3')).toEqual({
      calendar: 'cn-workdays',
      responseMinutes: 540,
      resolutionMinutes: 3780,
    });
    expect(onWorkingDays(90)).toBe(90);
  });
});

describe('clock arithmetic', () => {
  const office = businessCalendar({
    timeZone: 'Asia/Shanghai',
    alwaysOn: false,
    weekHours: [...Array.from({ length: 5 }, () => [{ start: '09:00', end: '18:00' }]), [], []],
    chinaHolidays: true,
    extraHolidays: [],
    extraWorkdays: [],
  });
  const base = {
    startedAt: new Date('2025-01-24T17:00:00+08:00'), // Friday before the 2025 Spring Festival
    targetMinutes: 600,
    warningPercent: 50,
    pausedMinutes: 0,
  };

  it('schedules warning and due in working time, across a 调休 Sunday', () => {
    const { dueAt, warnAt } = schedule(base, office);
    // 60 on Friday, then Sunday 26 January is a working day: 300 → 13:00 warning; 600 → its closing time.
    expect(warnAt.toISOString()).toBe(new Date('2025-01-26T13:00:00+08:00').toISOString());
    expect(dueAt.toISOString()).toBe(new Date('2025-01-26T18:00:00+08:00').toISOString());
  });

  it('adds a pause that spans the Spring Festival as only its working minutes', () => {
    const { dueAt } = schedule(base, office);
    const clock = {
      ...base,
      dueAt,
      pausedSince: new Date('2025-01-27T17:00:00+08:00'),
      metAt: null,
      stoppedAt: null,
    };
    // Paused Monday 17:00 → Wednesday 5 February 10:00: 60 + 60 working minutes, eight days off between.
    const resumedAt = new Date('2025-02-05T10:00:00+08:00');
    expect(pausedMinutesAfterResume(clock, resumedAt, office)).toBe(120);
    // While paused the hands stand still: at Monday 17:00, eight working hours past Sunday's due time.
    expect(remainingMinutes(clock, resumedAt, office)).toBe(-480);
    expect(elapsedMinutes(clock, resumedAt, office)).toBe(1080);
  });
});
