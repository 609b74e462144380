import { type Candidates, candidatesOf, DayModel, EPSILON, INF } from './day-model';
import { type Plan, type PlanEngineer, type PlanJob, planOf } from './itinerary';

export { unplacedCost } from './day-model';

/**
 * The day optimiser: regret-2 insertion over each job's nearest capable engineers, then local
 * search (relocate, exchange, and trading an unplaced job for a placed one) over travel minutes
 * plus SLA lateness. Pure and deterministic — every loop runs in id order and ties break by id —
 * so the preview a dispatcher confirms is the plan that gets applied. docs/dispatch.md explains
 * the method and its limits.
 *
 * The day, its routes and the cost of editing them live in `DayModel` (day-model.ts).
 */

export interface OptimiseOptions {
  /** How many capable engineers each job is weighed against, the nearest first (default 8). */
  candidates?: number;
  /** False returns the starting solution (regret insertion only), for tests. */
  improve?: boolean;
  /**
   * A safety cap on local search in wall-clock ms. Generous on purpose: when it is hit the plan
   * depends on the machine's speed, so at the sizes a dispatch desk plans it never is.
   */
  timeLimitMs?: number;
}

/** Local search stops after this many improving passes even if it could go on. */
const MAX_PASSES = 40;

/**
 * Whether anything a move for job j looks at changed since `since`: its own route or one of its
 * candidates'. A job whose neighbourhood is as it was when no move helped is not looked at again.
 */
function stale(day: DayModel, c: Candidates, j: number, since: number): boolean {
  const owner = day.owner[j]!;
  if (owner !== -1 && day.changed[owner]! > since) return true;
  for (let s = c.offset[j]!; s < c.offset[j + 1]!; s++) if (day.changed[c.engineers[s]!]! > since) return true;
  return false;
}

/** When each job was last looked at by each move, for `stale`. */
interface Looks {
  relocate: Float64Array;
  exchange: Float64Array;
  trade: Float64Array;
  leftover: Float64Array;
}

export function optimiseDay(
  engineers: readonly PlanEngineer[],
  jobs: readonly PlanJob[],
  options: OptimiseOptions = {},
): Plan {
  const team = [...engineers].sort((a, b) => a.id.localeCompare(b.id));
  const sorted = [...jobs].sort((a, b) => a.id.localeCompare(b.id));
  const day = new DayModel(team, sorted);
  const candidates = candidatesOf(day, options.candidates ?? 8);
  regretInsertion(day, candidates);
  placeLeftovers(day);
  if (options.improve !== false) {
    const deadline = performance.now() + (options.timeLimitMs ?? 10_000);
    const looks: Looks = {
      relocate: new Float64Array(day.jobCount),
      exchange: new Float64Array(day.jobCount),
      trade: new Float64Array(day.jobCount),
      leftover: new Float64Array(day.jobCount),
    };
    for (let pass = 0; pass < MAX_PASSES && performance.now() < deadline; pass++) {
      let improved = relocate(day, candidates, looks.relocate, deadline);
      improved = exchange(day, candidates, looks.exchange, deadline) || improved;
      improved = tradeUnplaced(day, candidates, looks) || improved;
      if (!improved) break;
    }
  }

  const routes = new Map<string, PlanJob[]>(team.map((e, i) => [e.id, day.routes[i]!.map((j) => sorted[j]!)]));
  const unassigned: Plan['unassigned'] = [];
  sorted.forEach((job, j) => {
    if (day.owner[j] === -1)
      unassigned.push({ jobId: job.id, reason: day.skilled[j] ? 'field.no_capacity' : 'field.no_skilled_engineer' });
  });
  return planOf(team, routes, unassigned);
}

/**
 * Regret-2 insertion: the job whose second-best engineer is worst off against its best goes
 * first (a job only one engineer can still take has infinite regret), because it loses most by
 * waiting. Ties go to the cheaper insertion, then the lower id. A placement changes one route,
 * so only the jobs that have that engineer among their candidates are re-evaluated.
 */
function regretInsertion(day: DayModel, c: Candidates) {
  const J = day.jobCount;
  const delta = new Float64Array(c.engineers.length);
  const position = new Int32Array(c.engineers.length);
  const best1 = new Float64Array(J);
  const best2 = new Float64Array(J);
  const bestSlot = new Int32Array(J);
  const at = { position: 0 };
  const evaluate = (s: number) => {
    delta[s] = day.bestInsertion(c.engineers[s]!, c.jobOfSlot[s]!, at);
    position[s] = at.position;
  };
  const summarise = (j: number) => {
    let b1 = INF;
    let b2 = INF;
    let slot = -1;
    for (let s = c.offset[j]!; s < c.offset[j + 1]!; s++) {
      const d = delta[s]!;
      if (d < b1 - EPSILON || (Math.abs(d - b1) <= EPSILON && d !== INF && c.engineers[s]! < c.engineers[slot]!)) {
        b2 = b1;
        b1 = d;
        slot = s;
      } else if (d < b2) b2 = d;
    }
    best1[j] = b1;
    best2[j] = b2;
    bestSlot[j] = slot;
  };
  for (let s = 0; s < c.engineers.length; s++) evaluate(s);
  let pending: number[] = [];
  for (let j = 0; j < J; j++) {
    summarise(j);
    if (best1[j]! < INF) pending.push(j);
  }
  while (pending.length > 0) {
    let chosen = -1;
    let chosenRegret = -INF;
    let stuck = 0;
    for (let x = 0; x < pending.length; x++) {
      const j = pending[x]!;
      const b1 = best1[j]!;
      if (b1 === INF) {
        stuck++;
        continue;
      }
      const regret = best2[j] === INF ? INF : best2[j]! - b1;
      // Higher regret, then the cheaper insertion, then the lower id.
      const better =
        chosen === -1 ||
        (regret !== chosenRegret && Math.abs(regret - chosenRegret) > EPSILON
          ? regret > chosenRegret
          : Math.abs(b1 - best1[chosen]!) > EPSILON
            ? b1 < best1[chosen]!
            : j < chosen);
      if (better) {
        chosen = j;
        chosenRegret = regret;
      }
    }
    if (chosen === -1) break;
    // Unordered list: the choice does not depend on where a job sits in it.
    const x = pending.indexOf(chosen);
    pending[x] = pending[pending.length - 1]!;
    pending.pop();
    if (stuck > 64 && stuck > pending.length / 2) pending = pending.filter((j) => best1[j]! < INF);
    const slot = bestSlot[chosen]!;
    const e = c.engineers[slot]!;
    day.insert(e, chosen, position[slot]!);
    for (const s of c.slotsOf[e]!) {
      const j = c.jobOfSlot[s]!;
      if (day.owner[j] !== -1) continue;
      evaluate(s);
      summarise(j);
    }
  }
}

/** Jobs none of their candidates could take: any capable engineer with room, cheapest first. */
function placeLeftovers(day: DayModel, looked?: Float64Array): boolean {
  const at = { position: 0 };
  let placed = false;
  for (let j = 0; j < day.jobCount; j++) {
    if (day.owner[j] !== -1) continue;
    // Only routes that changed since this job last found no room can have room now.
    const since = looked ? looked[j]! : -1;
    if (looked) looked[j] = day.version;
    let best = INF;
    let bestE = -1;
    let bestPosition = 0;
    for (let e = 0; e < day.engineerCount; e++) {
      if (day.changed[e]! <= since) continue;
      const d = day.bestInsertion(e, j, at);
      if (d < best - EPSILON) {
        best = d;
        bestE = e;
        bestPosition = at.position;
      }
    }
    if (bestE !== -1) {
      day.insert(bestE, j, bestPosition);
      placed = true;
    }
  }
  return placed;
}

/** Take each job out and put it back wherever it is cheapest among its candidates and its own route. */
function relocate(day: DayModel, c: Candidates, looked: Float64Array, deadline: number): boolean {
  const at = { position: 0 };
  let improved = false;
  for (let j = 0; j < day.jobCount; j++) {
    if ((j & 63) === 0 && performance.now() > deadline) break;
    const owner = day.owner[j]!;
    if (owner === -1 || !stale(day, c, j, looked[j]!)) continue;
    looked[j] = day.version;
    const index = day.routes[owner]!.indexOf(j);
    const saved = day.routeCost[owner]! - day.costWithout(owner, index);
    // Elsewhere in its own route first, then the other candidates' routes.
    let gain = day.routeCost[owner]! - day.bestReplacement(owner, index, j, at);
    let bestE = owner;
    let bestPosition = at.position;
    for (let s = c.offset[j]!; s < c.offset[j + 1]!; s++) {
      const e = c.engineers[s]!;
      if (e === owner) continue;
      const g = saved - day.bestInsertion(e, j, at);
      if (g > gain + EPSILON) {
        gain = g;
        bestE = e;
        bestPosition = at.position;
      }
    }
    if (gain > EPSILON) {
      day.remove(owner, index);
      day.insert(bestE, j, bestPosition);
      improved = true;
    }
  }
  return improved;
}

/** Two engineers trade one job each, in place, when both can do the other's and it costs less. */
function exchange(day: DayModel, c: Candidates, looked: Float64Array, deadline: number): boolean {
  const E = day.engineerCount;
  let improved = false;
  for (let a = 0; a < day.jobCount; a++) {
    if ((a & 63) === 0 && performance.now() > deadline) break;
    const ea = day.owner[a]!;
    if (ea === -1 || !stale(day, c, a, looked[a]!)) continue;
    looked[a] = day.version;
    for (let s = c.offset[a]!; s < c.offset[a + 1]!; s++) {
      const eb = c.engineers[s]!;
      if (eb === ea) continue;
      const ra = day.routes[ea]!;
      const rb = day.routes[eb]!;
      const i = ra.indexOf(a);
      if (i === -1) break; // a moved in an earlier exchange of this loop
      for (let k = 0; k < rb.length; k++) {
        const b = rb[k]!;
        if (!day.capable[b * E + ea]) continue;
        // Replacing a by b must not overrun the work minutes, nor b by a; the replay checks the rest.
        const costA = day.costReplacing(ea, i, b);
        if (costA === INF) continue;
        const costB = day.costReplacing(eb, k, a);
        if (costA + costB < day.routeCost[ea]! + day.routeCost[eb]! - EPSILON) {
          day.remove(ea, i);
          day.remove(eb, k);
          day.insert(ea, b, i);
          day.insert(eb, a, k);
          improved = true;
          break;
        }
      }
      if (day.owner[a] !== ea) break;
    }
  }
  return improved;
}

/**
 * Jobs still unplaced: put one in where room has appeared, or let it take the place of a
 * planned job when that lowers the total — a job due today for one with slack, or a nearby job
 * for a far one. The number of jobs placed never goes down.
 */
function tradeUnplaced(day: DayModel, c: Candidates, looks: Looks): boolean {
  let improved = placeLeftovers(day, looks.leftover);
  const at = { position: 0 };
  for (let u = 0; u < day.jobCount; u++) {
    if (day.owner[u] !== -1 || !stale(day, c, u, looks.trade[u]!)) continue;
    looks.trade[u] = day.version;
    let bestGain = EPSILON;
    let bestE = -1;
    let bestIndex = 0;
    let bestPosition = 0;
    for (let s = c.offset[u]!; s < c.offset[u + 1]!; s++) {
      const e = c.engineers[s]!;
      const route = day.routes[e]!;
      for (let i = 0; i < route.length; i++) {
        const p = route[i]!;
        // Worth trying only if u out of the plan costs more than p would, or u fits the work minutes.
        if (day.routeWork[e]! - day.jDuration[p]! + day.jDuration[u]! > day.minutesLeft[e]!) continue;
        // Putting a job in never costs less than nothing, so taking p out bounds what the trade can gain.
        const penalty = day.jUnplaced[u]! - day.jUnplaced[p]!;
        if (penalty + day.routeCost[e]! - day.costWithout(e, i) <= bestGain + EPSILON) continue;
        const position = day.bestReplacement(e, i, u, at);
        const gain = day.jUnplaced[u]! - day.jUnplaced[p]! - (position - day.routeCost[e]!);
        if (gain > bestGain + EPSILON) {
          bestGain = gain;
          bestE = e;
          bestIndex = i;
          bestPosition = at.position;
        }
      }
    }
    if (bestE !== -1) {
      day.remove(bestE, bestIndex);
      day.insert(bestE, u, bestPosition);
      improved = true;
    }
  }
  return improved;
}
