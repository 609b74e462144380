import { NINE_TO_SIX_WEEKDAYS } from '@serviceloop/contracts';
import { describe, expect, it } from 'vitest';
import { businessCalendar } from '../sla/calendar';
import { businessResolveMinutes } from './business-time';
import { bucketOf, percentile } from './rollup';

const workdays = businessCalendar({
  timeZone: 'Asia/Shanghai',
  alwaysOn: false,
  weekHours: NINE_TO_SIX_WEEKDAYS,
  chinaHolidays: true,
  extraHolidays: [],
  extraWorkdays: [],
});
const at = (local: string) => Date.parse(`${local}:00+08:00`);

describe('resolution time in business hours', () => {
  it('counts working minutes only, over a weekend, and leaves suspended working time out', () => {
    // Fri 17:00–18:00 (60) + Mon 09:00–12:00 (180), suspended Mon 10:00–11:30 (90) → 150.
    expect(
      businessResolveMinutes(
        at('2026-03-06T17:00'),
        at('2026-03-09T12:00'),
        [[at('2026-03-09T10:00'), at('2026-03-09T11:30')]],
        workdays,
      ),
    ).toBe(150);
  });

  it('takes only the working part of a suspension that spans the night', () => {
    // Mon 09:00–Tue 12:00 = 540 + 180; suspended Mon 17:00–Tue 10:00 = 60 + 60 working minutes → 600.
    expect(
      businessResolveMinutes(
        at('2026-03-09T09:00'),
        at('2026-03-10T12:00'),
        [[at('2026-03-09T17:00'), at('2026-03-10T10:00')]],
        workdays,
      ),
    ).toBe(600);
  });

  it('skips public holidays and counts the make-up working Saturday (调休)', () => {
    // Thu 30 Apr 16:00–18:00 (120); 1–5 May Labour Day off; 6–8 May 3 × 540; Sat 9 May is a working
    // day: 09:00–10:00 (60) → 1800.
    expect(businessResolveMinutes(at('2026-04-30T16:00'), at('2026-05-09T10:00'), [], workdays)).toBe(1800);
  });

  it('ignores suspensions outside the ticket and gives zero for work done outside working hours', () => {
    expect(
      businessResolveMinutes(
        at('2026-03-07T10:00'),
        at('2026-03-07T15:00'),
        [[at('2026-03-06T10:00'), at('2026-03-06T11:00')]],
        workdays,
      ),
    ).toBe(0);
  });
});

describe('percentiles from the rollup histograms', () => {
  const histogram = (values: number[]) => {
    const h = new Map<number, number>();
    for (const v of values) h.set(bucketOf(v), (h.get(bucketOf(v)) ?? 0) + 1);
    return h;
  };
  const exact = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    const rank = p * (sorted.length - 1);
    const low = Math.floor(rank);
    return sorted[low]! + (rank - low) * ((sorted[low + 1] ?? sorted[low]!) - sorted[low]!);
  };

  it('stay within 4.5 % of percentile_cont on skewed durations, and are exact at zero', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    // Log-normal-ish resolution times from a minute to weeks, a fifth of them zero.
    const values = Array.from({ length: 5000 }, () => (random() < 0.2 ? 0 : Math.exp(random() * 10)));
    for (const p of [0.1, 0.5, 0.9, 0.99]) {
      const truth = exact(values, p);
      expect(Math.abs(percentile(histogram(values), p)! - truth)).toBeLessThanOrEqual(0.045 * truth + 1e-9);
    }
    expect(percentile(histogram([0, 0, 0, 180, 240]), 0.5)).toBe(0);
    expect(percentile(new Map(), 0.5)).toBeNull();
  });
});
