import { travelMinutes } from './geo';
import { canDo, type Plan, type PlanEngineer, type PlanJob, planOf, playRoute, unplacedReason } from './itinerary';

/**
 * The dispatcher's rule of thumb, as a yardstick for the optimiser: take the jobs most urgent
 * first and give each to the nearest engineer who can still fit it at the end of their day.
 */
export function greedyNearest(engineers: readonly PlanEngineer[], jobs: readonly PlanJob[]): Plan {
  const byId = [...engineers].sort((a, b) => a.id.localeCompare(b.id));
  const routes = new Map<string, PlanJob[]>(byId.map((e) => [e.id, []]));
  const unassigned: Plan['unassigned'] = [];
  const order = [...jobs].sort(
    (a, b) => (a.due ?? Number.POSITIVE_INFINITY) - (b.due ?? Number.POSITIVE_INFINITY) || a.id.localeCompare(b.id),
  );
  for (const job of order) {
    let best: { engineer: PlanEngineer; distance: number } | null = null;
    for (const engineer of byId) {
      if (!engineer.shift || !canDo(engineer, job)) continue;
      const route = routes.get(engineer.id)!;
      if (!playRoute(engineer, [...route, job]).feasible) continue;
      const from = route.length ? route[route.length - 1]!.location : engineer.start;
      const distance = travelMinutes(from, job.location);
      if (!best || distance < best.distance) best = { engineer, distance };
    }
    if (best) routes.get(best.engineer.id)!.push(job);
    else unassigned.push({ jobId: job.id, reason: unplacedReason(engineers, job) });
  }
  return planOf(byId, routes, unassigned);
}
