import type { EngineerUtilisation, Utilisation } from '@serviceloop/contracts';
import type { Executor } from '../../platform/db/client';
import { addDays, type EngineerFacts, engineers, instantAt, localDate, shiftOn, visitsBetween } from '../field/index';

const HOUR = 3_600_000;

/** Hours of [a, b) inside [from, to). */
const overlapHours = (a: number, b: number, from: number, to: number) =>
  Math.max(0, Math.min(b, to) - Math.max(a, from)) / HOUR;

/**
 * Engineer utilisation and load over a period (docs/kpis.md), from the field module's own facts —
 * the engineers dispatch can send (active, with an active profile) and the visits it counts as
 * planned (a re-dispatch replaces the visit that was never started):
 *
 * - available hours: per China-time working day of the engineer's profile (not on leave), the part
 *   of the working window inside the period, at most the profile's daily capacity in hours;
 * - booked hours: the planned visit time inside the period;
 * - utilisation = booked ÷ available; load = visits ÷ (jobs a day × working days).
 */
export async function utilisation(
  db: Executor,
  period: { from: Date; to: Date },
  visible: (engineer: EngineerFacts) => boolean,
): Promise<Utilisation> {
  const [people, visits] = await Promise.all([engineers(db), visitsBetween(db, period.from, period.to)]);
  const from = period.from.getTime();
  const to = period.to.getTime();
  const lastDate = localDate(new Date(to - 1));
  const rowsOut: EngineerUtilisation[] = [];
  for (const engineer of people.filter(visible)) {
    let availableHours = 0;
    let workingDays = 0;
    for (let date = localDate(period.from); date <= lastDate; date = addDays(date, 1)) {
      const shift = shiftOn(engineer, date);
      if (!shift) continue;
      const hours = overlapHours(
        instantAt(date, shift.start).getTime(),
        instantAt(date, shift.end).getTime(),
        from,
        to,
      );
      if (hours <= 0) continue;
      workingDays++;
      availableHours += Math.min(hours, engineer.capacityHours);
    }
    const own = visits.filter((v) => v.engineerId === engineer.engineerId);
    const bookedHours = own.reduce(
      (sum, v) => sum + overlapHours(v.plannedStart.getTime(), v.plannedEnd.getTime(), from, to),
      0,
    );
    const jobCapacity = engineer.capacityJobs * workingDays;
    rowsOut.push({
      engineerId: engineer.engineerId,
      name: engineer.displayName,
      workingDays,
      availableHours,
      bookedHours,
      utilisation: availableHours > 0 ? bookedHours / availableHours : null,
      visits: own.length,
      jobCapacity,
      load: jobCapacity > 0 ? own.length / jobCapacity : null,
    });
  }
  const sum = (pick: (r: EngineerUtilisation) => number) => rowsOut.reduce((s, r) => s + pick(r), 0);
  const available = sum((r) => r.availableHours);
  const booked = sum((r) => r.bookedHours);
  const capacity = sum((r) => r.jobCapacity);
  const visitCount = sum((r) => r.visits);
  return {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    engineers: rowsOut.sort((a, b) => (b.utilisation ?? -1) - (a.utilisation ?? -1)),
    total: {
      availableHours: available,
      bookedHours: booked,
      utilisation: available > 0 ? booked / available : null,
      visits: visitCount,
      jobCapacity: capacity,
      load: capacity > 0 ? visitCount / capacity : null,
    },
  };
}
