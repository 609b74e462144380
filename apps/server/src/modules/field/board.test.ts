import { describe, expect, it } from 'vitest';
import { visitFlags } from './board';

const at = (hhmm: string, date = '2026-12-02') => new Date(`${date}T${hhmm}:00+08:00`);
const visit = (
  id: string,
  start: string,
  end: string,
  over: Partial<Parameters<typeof visitFlags>[0][number]> = {},
) => ({
  visitId: id,
  engineerId: 'e',
  plannedStart: at(start),
  plannedEnd: at(end),
  checkedOutAt: null,
  slaDueAt: null,
  ...over,
});
const profile = {
  workingHours: [{ weekday: 3, start: '08:30', end: '17:30' }],
  leave: [{ from: '2026-12-09', to: '2026-12-09' }],
  capacityJobs: 2,
  capacityHours: 8,
};

describe('board flags', () => {
  it('flags overlaps, work outside the window, capacity, leave and SLA lateness', () => {
    const flags = visitFlags(
      [
        visit('a', '09:00', '11:00'),
        visit('b', '10:30', '12:00', { slaDueAt: at('11:00') }),
        visit('c', '16:30', '18:00'),
        visit('d', '09:00', '10:00', {
          plannedStart: at('09:00', '2026-12-09'),
          plannedEnd: at('10:00', '2026-12-09'),
        }),
        visit('e', '13:00', '14:00', { engineerId: 'other' }),
      ],
      new Map([['e', profile]]),
    );
    expect(flags.get('a')).toEqual(['conflict']);
    expect(flags.get('b')).toEqual(['conflict', 'late']);
    expect(flags.get('c')).toEqual(['over_capacity', 'overtime']);
    expect(flags.get('d')).toEqual(['on_leave', 'overtime']);
    expect(flags.get('e')).toEqual([]);
  });
});
