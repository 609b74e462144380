import type { BoardVisit } from '@serviceloop/contracts';
import { localDate, minuteOf, onLeave, shiftOn } from './day';

/**
 * What the board flags on a planned visit, decided purely: two visits of one engineer that
 * overlap (conflict), a visit outside the working window of its day or on a day off (overtime),
 * on leave, beyond the day's job or hour capacity (in time order, the visits past the limit),
 * and a plan that ends after the ticket's SLA due time (late).
 */

export interface FlagProfile {
  workingHours: { weekday: number; start: string; end: string }[];
  leave: { from: string; to: string }[];
  capacityJobs: number;
  capacityHours: number;
}

export interface FlagVisit {
  visitId: string;
  engineerId: string;
  plannedStart: Date;
  plannedEnd: Date;
  checkedOutAt: Date | null;
  slaDueAt: Date | null;
}

type Flag = BoardVisit['flags'][number];

export function visitFlags(visits: FlagVisit[], profiles: Map<string, FlagProfile>): Map<string, Flag[]> {
  const flags = new Map<string, Set<Flag>>(visits.map((v) => [v.visitId, new Set()]));
  const add = (v: FlagVisit, f: Flag) => flags.get(v.visitId)!.add(f);
  const byEngineerDay = new Map<string, FlagVisit[]>();
  for (const v of visits) {
    const key = `${v.engineerId}|${localDate(v.plannedStart)}`;
    byEngineerDay.set(key, [...(byEngineerDay.get(key) ?? []), v]);
    if (v.checkedOutAt === null && v.slaDueAt && v.plannedEnd > v.slaDueAt) add(v, 'late');
  }
  for (const [key, list] of byEngineerDay) {
    const [engineerId, date] = key.split('|') as [string, string];
    list.sort((a, b) => a.plannedStart.getTime() - b.plannedStart.getTime() || a.visitId.localeCompare(b.visitId));
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length && list[j]!.plannedStart < list[i]!.plannedEnd; j++) {
        add(list[i]!, 'conflict');
        add(list[j]!, 'conflict');
      }
    const profile = profiles.get(engineerId);
    if (!profile) continue;
    const leave = onLeave(profile.leave, date);
    const shift = shiftOn(profile, date);
    let minutes = 0;
    list.forEach((v, index) => {
      if (leave) add(v, 'on_leave');
      if (!shift || minuteOf(date, v.plannedStart) < shift.start || minuteOf(date, v.plannedEnd) > shift.end)
        add(v, 'overtime');
      minutes += (v.plannedEnd.getTime() - v.plannedStart.getTime()) / 60_000;
      if (index + 1 > profile.capacityJobs || minutes > profile.capacityHours * 60 + 1e-9) add(v, 'over_capacity');
    });
  }
  return new Map([...flags].map(([id, set]) => [id, [...set].sort()]));
}
