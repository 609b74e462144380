import {
  canDo,
  type Plan,
  type PlanEngineer,
  type PlanJob,
  planOf,
  playRoute,
  routeCost,
  unplacedReason,
} from './itinerary';

/**
 * The day optimiser: regret-2 insertion, then local search (relocate and exchange) over
 * travel minutes plus SLA lateness. Pure and deterministic — every loop runs in id order and
 * ties break by id — so the preview a dispatcher confirms is the plan that gets applied.
 * docs/dispatch.md explains the method and its limits.
 */

interface Insertion {
  engineerId: string;
  position: number;
  delta: number;
}

const EPSILON = 1e-9;
/** Local search stops after this many improving passes even if it could go on (it never has). */
const MAX_PASSES = 50;

/** Higher regret first, then the cheaper insertion; equal ones keep the earlier (lower id) job. */
const preferred = (x: { regret: number; best: Insertion }, y: { regret: number; best: Insertion }) =>
  x.regret !== y.regret && Math.abs(x.regret - y.regret) > EPSILON
    ? x.regret > y.regret
    : x.best.delta < y.best.delta - EPSILON;

export function optimiseDay(engineers: readonly PlanEngineer[], jobs: readonly PlanJob[]): Plan {
  const team = [...engineers].sort((a, b) => a.id.localeCompare(b.id));
  const routes = new Map<string, PlanJob[]>(team.map((e) => [e.id, []]));
  const costs = new Map<string, number>(team.map((e) => [e.id, 0]));
  const pending = [...jobs].sort((a, b) => a.id.localeCompare(b.id));
  const unassigned: Plan['unassigned'] = [];

  /** The cheapest place for a job in one engineer's route, or null when it fits nowhere there. */
  const bestIn = (engineer: PlanEngineer, job: PlanJob): Insertion | null => {
    if (!engineer.shift || !canDo(engineer, job)) return null;
    const route = routes.get(engineer.id)!;
    if (route.length >= engineer.jobsLeft) return null;
    let best: Insertion | null = null;
    for (let position = 0; position <= route.length; position++) {
      const outcome = playRoute(engineer, [...route.slice(0, position), job, ...route.slice(position)]);
      if (!outcome.feasible) continue;
      const delta = routeCost(outcome) - costs.get(engineer.id)!;
      if (!best || delta < best.delta - EPSILON) best = { engineerId: engineer.id, position, delta };
    }
    return best;
  };

  const place = (job: PlanJob, at: Insertion) => {
    const route = routes.get(at.engineerId)!;
    route.splice(at.position, 0, job);
    costs.set(at.engineerId, routeCost(playRoute(team.find((e) => e.id === at.engineerId)!, route)));
  };

  // Regret insertion with a cache of each job's best place per engineer; a placement only
  // changes the route it went into, so only that engineer's entries are recomputed.
  const cache = new Map<string, Map<string, Insertion | null>>(
    pending.map((job) => [job.id, new Map(team.map((e) => [e.id, bestIn(e, job)]))]),
  );
  while (pending.length > 0) {
    let chosen: { index: number; regret: number; best: Insertion } | null = null;
    for (let index = 0; index < pending.length; index++) {
      const options = [...cache.get(pending[index]!.id)!.values()]
        .filter((o): o is Insertion => o !== null)
        .sort((a, b) => a.delta - b.delta || a.engineerId.localeCompare(b.engineerId));
      if (options.length === 0) continue;
      // A job only one engineer can take goes first, before that engineer's day fills up.
      const regret = options.length === 1 ? Number.POSITIVE_INFINITY : options[1]!.delta - options[0]!.delta;
      const candidate = { index, regret, best: options[0]! };
      if (!chosen || preferred(candidate, chosen)) chosen = candidate;
    }
    if (!chosen) break;
    const [job] = pending.splice(chosen.index, 1);
    place(job!, chosen.best);
    cache.delete(job!.id);
    const engineer = team.find((e) => e.id === chosen.best.engineerId)!;
    for (const other of pending) cache.get(other.id)!.set(engineer.id, bestIn(engineer, other));
  }
  for (const job of pending) unassigned.push({ jobId: job.id, reason: unplacedReason(team, job) });

  improve(team, routes, costs, bestIn, place);

  // Relocations may have freed room for a job nobody could take before.
  for (const left of [...unassigned]) {
    const job = jobs.find((j) => j.id === left.jobId)!;
    const options = team.map((e) => bestIn(e, job)).filter((o): o is Insertion => o !== null);
    options.sort((a, b) => a.delta - b.delta || a.engineerId.localeCompare(b.engineerId));
    if (options[0]) {
      place(job, options[0]);
      unassigned.splice(unassigned.indexOf(left), 1);
    }
  }
  return planOf(team, routes, unassigned);
}

/** Relocate single jobs and exchange pairs between routes while either lowers the total cost. */
function improve(
  team: PlanEngineer[],
  routes: Map<string, PlanJob[]>,
  costs: Map<string, number>,
  bestIn: (engineer: PlanEngineer, job: PlanJob) => Insertion | null,
  place: (job: PlanJob, at: Insertion) => void,
) {
  const recost = (engineer: PlanEngineer) =>
    costs.set(engineer.id, routeCost(playRoute(engineer, routes.get(engineer.id)!)));
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let improved = false;
    // Relocate: take a job out and put it back wherever it is cheapest (same route included).
    for (const owner of team) {
      for (const job of [...routes.get(owner.id)!]) {
        const route = routes.get(owner.id)!;
        const index = route.indexOf(job);
        const before = costs.get(owner.id)!;
        route.splice(index, 1);
        recost(owner);
        const saved = before - costs.get(owner.id)!;
        const options = team.map((e) => bestIn(e, job)).filter((o): o is Insertion => o !== null);
        options.sort((a, b) => a.delta - b.delta || a.engineerId.localeCompare(b.engineerId));
        const best = options[0];
        if (best && best.delta < saved - EPSILON) {
          place(job, best);
          improved = true;
        } else {
          route.splice(index, 0, job);
          costs.set(owner.id, before);
        }
      }
    }
    // Exchange: two jobs of different engineers trade places.
    for (let a = 0; a < team.length; a++) {
      for (let b = a + 1; b < team.length; b++) {
        const ea = team[a]!;
        const eb = team[b]!;
        const ra = routes.get(ea.id)!;
        const rb = routes.get(eb.id)!;
        for (let i = 0; i < ra.length; i++) {
          for (let j = 0; j < rb.length; j++) {
            const ja = ra[i]!;
            const jb = rb[j]!;
            if (!canDo(ea, jb) || !canDo(eb, ja)) continue;
            const na = ra.with(i, jb);
            const nb = rb.with(j, ja);
            const oa = playRoute(ea, na);
            const ob = playRoute(eb, nb);
            if (!oa.feasible || !ob.feasible) continue;
            if (routeCost(oa) + routeCost(ob) < costs.get(ea.id)! + costs.get(eb.id)! - EPSILON) {
              ra[i] = jb;
              rb[j] = ja;
              recost(ea);
              recost(eb);
              improved = true;
            }
          }
        }
      }
    }
    if (!improved) return;
  }
}
