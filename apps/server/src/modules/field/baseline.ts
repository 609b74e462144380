import { travelMinutes } from './geo';
import { canDo, type Plan, type PlanEngineer, type PlanJob, planOf, unplacedReason } from './itinerary';

/**
 * The dispatcher's rule of thumb, as a yardstick for the optimiser: take the jobs most urgent
 * first and give each to the nearest engineer who can still fit it at the end of their day.
 */
export function greedyNearest(engineers: readonly PlanEngineer[], jobs: readonly PlanJob[]): Plan {
  const byId = [...engineers].sort((a, b) => a.id.localeCompare(b.id));
  const routes = new Map<string, PlanJob[]>(byId.map((e) => [e.id, []]));
  // Where each day stands after its last job, so appending one is checked without replaying the
  // route: when it ends, where the engineer is, and how much work it holds.
  const ends = byId.map((e) => ({
    clock: e.shift ? Math.max(e.shift.start, e.busyUntil) : 0,
    at: e.start,
    work: 0,
  }));
  const unassigned: Plan['unassigned'] = [];
  const order = [...jobs].sort(
    (a, b) => (a.due ?? Number.POSITIVE_INFINITY) - (b.due ?? Number.POSITIVE_INFINITY) || a.id.localeCompare(b.id),
  );
  for (const job of order) {
    let best: { index: number; distance: number } | null = null;
    byId.forEach((engineer, index) => {
      if (!engineer.shift || !canDo(engineer, job)) return;
      const route = routes.get(engineer.id)!;
      const end = ends[index]!;
      if (route.length + 1 > engineer.jobsLeft || end.work + job.durationMinutes > engineer.minutesLeft) return;
      // The same test `playRoute` makes of the last job: it must end within the shift.
      if (end.clock + travelMinutes(end.at, job.location) + job.durationMinutes > engineer.shift.end) return;
      // Nearest to the last job's site (a site without a position is the flat half hour away).
      const distance = travelMinutes(route.length ? route[route.length - 1]!.location : engineer.start, job.location);
      if (!best || distance < best.distance) best = { index, distance };
    });
    if (best) {
      const { index } = best;
      const engineer = byId[index]!;
      const end = ends[index]!;
      routes.get(engineer.id)!.push(job);
      // Summed in playRoute's order, so a day that ends on the minute is judged as it is there.
      end.clock = end.clock + travelMinutes(end.at, job.location) + job.durationMinutes;
      end.work += job.durationMinutes;
      end.at = job.location ?? end.at;
    } else unassigned.push({ jobId: job.id, reason: unplacedReason(engineers, job) });
  }
  return planOf(byId, routes, unassigned);
}
