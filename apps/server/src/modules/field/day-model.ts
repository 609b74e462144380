import { cosLat, haversineKmOf, minutesForKm, UNKNOWN_TRAVEL_MINUTES } from './geo';
import { LATE_WEIGHT, MISS_WEIGHT, type PlanEngineer, type PlanJob } from './itinerary';

/**
 * The day optimiser's model of a day: jobs and engineers as typed arrays indexed by position in
 * the id-sorted lists, the routes being built, and each job's candidate engineers. A route's cost
 * is replayed with the same arithmetic as `playRoute` (so it is the plan's cost to the bit), and
 * each route keeps its state before every stop, so a candidate edit replays only what follows it.
 */

export const EPSILON = 1e-9;
export const INF = Number.POSITIVE_INFINITY;
/** The day a plan is for ends at minute 1440: a job due by then and left unplaced misses its SLA. */
const END_OF_DAY = 1440;

/**
 * What leaving a job out of the day costs in the objective. Left for tomorrow, a job due today
 * misses its SLA and is late by the end of today at least, so doing it late today is never worse.
 */
export const unplacedCost = (job: PlanJob): number =>
  job.due !== null && job.due <= END_OF_DAY ? MISS_WEIGHT + LATE_WEIGHT * (END_OF_DAY - job.due) : 0;

/** The planning problem as typed arrays, and the routes being built. */
export class DayModel {
  readonly jobCount: number;
  readonly engineerCount: number;
  // Jobs.
  readonly jHas: Uint8Array;
  readonly jLat: Float64Array;
  readonly jLng: Float64Array;
  readonly jCos: Float64Array;
  readonly jDuration: Float64Array;
  /** Infinity when the job has no SLA: never late. */
  readonly jDue: Float64Array;
  /** What leaving the job unplaced costs: when due today, a certain SLA miss and lateness. */
  readonly jUnplaced: Float64Array;
  // Engineers: where the day starts and ends, the shift and what is left of capacity.
  readonly sHas: Uint8Array;
  readonly sLat: Float64Array;
  readonly sLng: Float64Array;
  readonly sCos: Float64Array;
  readonly hHas: Uint8Array;
  readonly hLat: Float64Array;
  readonly hLng: Float64Array;
  readonly hCos: Float64Array;
  readonly working: Uint8Array;
  readonly from: Float64Array;
  readonly until: Float64Array;
  readonly jobsLeft: Float64Array;
  readonly minutesLeft: Float64Array;
  /** capable[j * engineerCount + e]: engineer e has every skill job j needs and works today. */
  readonly capable: Uint8Array;
  /** Someone with the skills works today (maybe with no room left): why a job stayed unplaced. */
  readonly skilled: Uint8Array;
  // The routes being built.
  readonly routes: number[][];
  readonly routeCost: Float64Array;
  readonly routeWork: Float64Array;
  /** The engineer a job is planned for, or -1. */
  readonly owner: Int32Array;
  /** Counts route changes; `changed[e]` is the count when e's route last changed. */
  version = 1;
  readonly changed: Float64Array;
  /**
   * Each route's state after its first k jobs (stride `stride` per engineer): the clock, the last
   * known position (a job index, or -1 for the start), travel, lateness and misses so far, and the
   * leg driven into the k-th job. An insertion replays only what comes after it from these.
   */
  private readonly stride: number;
  private readonly pClock: Float64Array;
  private readonly pAt: Int32Array;
  /** Where in the route that last known position is (-1 for the start). */
  private readonly pAtIndex: Int32Array;
  /** Legs between the job being inserted and each job of the route, for `bestInsertion`. */
  private readonly legs: Float64Array;
  private readonly pTravel: Float64Array;
  private readonly pLate: Float64Array;
  private readonly pMisses: Float64Array;
  private readonly pLeg: Float64Array;
  private readonly homeLeg: Float64Array;

  constructor(
    readonly team: readonly PlanEngineer[],
    readonly jobs: readonly PlanJob[],
  ) {
    const J = jobs.length;
    const E = team.length;
    this.jobCount = J;
    this.engineerCount = E;
    this.jHas = new Uint8Array(J);
    this.jLat = new Float64Array(J);
    this.jLng = new Float64Array(J);
    this.jCos = new Float64Array(J);
    this.jDuration = new Float64Array(J);
    this.jDue = new Float64Array(J);
    this.jUnplaced = new Float64Array(J);
    jobs.forEach((job, j) => {
      if (job.location) {
        this.jHas[j] = 1;
        this.jLat[j] = job.location.lat;
        this.jLng[j] = job.location.lng;
        this.jCos[j] = cosLat(job.location.lat);
      }
      this.jDuration[j] = job.durationMinutes;
      this.jDue[j] = job.due ?? INF;
      this.jUnplaced[j] = unplacedCost(job);
    });
    this.sHas = new Uint8Array(E);
    this.sLat = new Float64Array(E);
    this.sLng = new Float64Array(E);
    this.sCos = new Float64Array(E);
    this.hHas = new Uint8Array(E);
    this.hLat = new Float64Array(E);
    this.hLng = new Float64Array(E);
    this.hCos = new Float64Array(E);
    this.working = new Uint8Array(E);
    this.from = new Float64Array(E);
    this.until = new Float64Array(E);
    this.jobsLeft = new Float64Array(E);
    this.minutesLeft = new Float64Array(E);
    let longest = 0;
    team.forEach((e, i) => {
      if (e.start) {
        this.sHas[i] = 1;
        this.sLat[i] = e.start.lat;
        this.sLng[i] = e.start.lng;
        this.sCos[i] = cosLat(e.start.lat);
      }
      if (e.home) {
        this.hHas[i] = 1;
        this.hLat[i] = e.home.lat;
        this.hLng[i] = e.home.lng;
        this.hCos[i] = cosLat(e.home.lat);
      }
      if (e.shift && e.jobsLeft > 0) {
        this.working[i] = 1;
        this.from[i] = Math.max(e.shift.start, e.busyUntil);
        this.until[i] = e.shift.end;
      }
      this.jobsLeft[i] = e.jobsLeft;
      this.minutesLeft[i] = e.minutesLeft;
      longest = Math.max(longest, Math.min(e.jobsLeft, J));
    });
    // Skills as bit sets, checked once per pair: a tenant has few skills but jobs × engineers is large.
    const bit = new Map<string, number>();
    for (const e of team) for (const skill of e.skills) if (!bit.has(skill)) bit.set(skill, bit.size);
    const words = Math.max(1, Math.ceil(bit.size / 32));
    const has = new Int32Array(E * words);
    team.forEach((e, i) => {
      for (const skill of e.skills) has[i * words + (bit.get(skill)! >> 5)]! |= 1 << (bit.get(skill)! & 31);
    });
    const needs = new Int32Array(words);
    this.capable = new Uint8Array(J * E);
    this.skilled = new Uint8Array(J);
    jobs.forEach((job, j) => {
      // A skill no engineer has: nobody can take the job.
      if (job.requiredSkills.some((skill) => !bit.has(skill))) return;
      needs.fill(0);
      for (const skill of job.requiredSkills) needs[bit.get(skill)! >> 5]! |= 1 << (bit.get(skill)! & 31);
      for (let e = 0; e < E; e++) {
        let ok = true;
        for (let w = 0; w < words && ok; w++) ok = (needs[w]! & ~has[e * words + w]!) === 0;
        if (!ok || !team[e]!.shift) continue;
        this.skilled[j] = 1;
        if (this.working[e]) this.capable[j * E + e] = 1;
      }
    });
    this.routes = team.map(() => []);
    this.routeCost = new Float64Array(E);
    this.routeWork = new Float64Array(E);
    this.owner = new Int32Array(J).fill(-1);
    this.changed = new Float64Array(E);
    this.stride = longest + 2;
    this.pClock = new Float64Array(E * this.stride);
    this.pAt = new Int32Array(E * this.stride);
    this.pAtIndex = new Int32Array(E * this.stride);
    this.legs = new Float64Array(this.stride);
    this.pTravel = new Float64Array(E * this.stride);
    this.pLate = new Float64Array(E * this.stride);
    this.pMisses = new Float64Array(E * this.stride);
    this.pLeg = new Float64Array(E * this.stride);
    this.homeLeg = new Float64Array(E);
    for (let e = 0; e < E; e++) this.recost(e);
  }

  /** Minutes from job a (or engineer e's start when a is -1) to job b, b having a position. */
  private legTo(e: number, a: number, b: number): number {
    if (a >= 0)
      return minutesForKm(
        haversineKmOf(this.jLat[a]!, this.jLng[a]!, this.jCos[a]!, this.jLat[b]!, this.jLng[b]!, this.jCos[b]!),
      );
    if (!this.sHas[e]) return UNKNOWN_TRAVEL_MINUTES;
    return minutesForKm(
      haversineKmOf(this.sLat[e]!, this.sLng[e]!, this.sCos[e]!, this.jLat[b]!, this.jLng[b]!, this.jCos[b]!),
    );
  }

  /** Minutes from job a (or the start when a is -1) to engineer e's home; 0 without a home. */
  private legHome(e: number, a: number): number {
    if (!this.hHas[e]) return 0;
    if (a >= 0)
      return minutesForKm(
        haversineKmOf(this.jLat[a]!, this.jLng[a]!, this.jCos[a]!, this.hLat[e]!, this.hLng[e]!, this.hCos[e]!),
      );
    if (!this.sHas[e]) return UNKNOWN_TRAVEL_MINUTES;
    return minutesForKm(
      haversineKmOf(this.sLat[e]!, this.sLng[e]!, this.sCos[e]!, this.hLat[e]!, this.hLng[e]!, this.hCos[e]!),
    );
  }

  /**
   * The cost of e's route changed by one edit, replaying from the stored state before index
   * `start`: job j (unless -1) goes in just before index `before` (the route's length for the end),
   * and the job at index `skip` (unless -1) comes out; `start` must not lie after either. A leg
   * is measured again only when the place it starts from is not the one it started from before.
   * Infinity when the result breaks the shift or capacity.
   */
  private variant(e: number, start: number, j: number, before: number, skip: number): number {
    const route = this.routes[e]!;
    const n = route.length;
    const count = n + (j >= 0 ? 1 : 0) - (skip >= 0 ? 1 : 0);
    if (count === 0) return 0;
    const work =
      this.routeWork[e]! + (j >= 0 ? this.jDuration[j]! : 0) - (skip >= 0 ? this.jDuration[route[skip]!]! : 0);
    if (!this.working[e] || count > this.jobsLeft[e]! || work > this.minutesLeft[e]!) return INF;
    const o = e * this.stride;
    const until = this.until[e]!;
    let t = this.pClock[o + start]!;
    let at = this.pAt[o + start]!;
    let travel = this.pTravel[o + start]!;
    let late = this.pLate[o + start]!;
    let misses = this.pMisses[o + start]!;
    for (let k = start; k <= n; k++) {
      if (k === before) {
        const leg = this.jHas[j] ? this.legTo(e, at, j) : UNKNOWN_TRAVEL_MINUTES;
        t += leg + this.jDuration[j]!;
        if (t > until) return INF;
        travel += leg;
        const due = this.jDue[j]!;
        if (t > due) {
          misses++;
          late += t - due;
        }
        if (this.jHas[j]) at = j;
      }
      if (k === n) break;
      if (k === skip) continue;
      const r = route[k]!;
      const leg = !this.jHas[r]
        ? UNKNOWN_TRAVEL_MINUTES
        : at === this.pAt[o + k]
          ? this.pLeg[o + k]!
          : this.legTo(e, at, r);
      t += leg + this.jDuration[r]!;
      if (t > until) return INF;
      travel += leg;
      const due = this.jDue[r]!;
      if (t > due) {
        misses++;
        late += t - due;
      }
      if (this.jHas[r]) at = r;
    }
    travel += at === this.pAt[o + n] ? this.homeLeg[e]! : this.legHome(e, at);
    return travel + LATE_WEIGHT * late + MISS_WEIGHT * misses;
  }

  /** Driving minutes from an engineer's start (or home) to a job; the flat figure when either is unknown. */
  reach(e: number, j: number): number {
    if (!this.jHas[j]) return UNKNOWN_TRAVEL_MINUTES;
    if (this.sHas[e])
      return minutesForKm(
        haversineKmOf(this.sLat[e]!, this.sLng[e]!, this.sCos[e]!, this.jLat[j]!, this.jLng[j]!, this.jCos[j]!),
      );
    if (this.hHas[e])
      return minutesForKm(
        haversineKmOf(this.hLat[e]!, this.hLng[e]!, this.hCos[e]!, this.jLat[j]!, this.jLng[j]!, this.jCos[j]!),
      );
    return UNKNOWN_TRAVEL_MINUTES;
  }

  /**
   * The cost of engineer e doing seq[0..n) in that order (travel + lateness + misses, as
   * `routeCost(playRoute(...))`), or Infinity when it breaks the shift or capacity.
   */
  cost(e: number, seq: Int32Array | number[], n: number): number {
    if (n === 0) return 0;
    if (!this.working[e] || n > this.jobsLeft[e]!) return INF;
    const until = this.until[e]!;
    const cap = this.minutesLeft[e]!;
    let t = this.from[e]!;
    let has = this.sHas[e]!;
    let lat = this.sLat[e]!;
    let lng = this.sLng[e]!;
    let cos = this.sCos[e]!;
    let travel = 0;
    let late = 0;
    let misses = 0;
    let work = 0;
    for (let k = 0; k < n; k++) {
      const j = seq[k]!;
      const there = this.jHas[j]!;
      const leg =
        has && there
          ? minutesForKm(haversineKmOf(lat, lng, cos, this.jLat[j]!, this.jLng[j]!, this.jCos[j]!))
          : UNKNOWN_TRAVEL_MINUTES;
      const end = t + leg + this.jDuration[j]!;
      work += this.jDuration[j]!;
      if (end > until || work > cap) return INF;
      const due = this.jDue[j]!;
      if (end > due) {
        misses++;
        late += end - due;
      }
      travel += leg;
      t = end;
      if (there) {
        has = 1;
        lat = this.jLat[j]!;
        lng = this.jLng[j]!;
        cos = this.jCos[j]!;
      }
    }
    if (this.hHas[e])
      travel += has
        ? minutesForKm(haversineKmOf(lat, lng, cos, this.hLat[e]!, this.hLng[e]!, this.hCos[e]!))
        : UNKNOWN_TRAVEL_MINUTES;
    return travel + LATE_WEIGHT * late + MISS_WEIGHT * misses;
  }

  /** The cheapest place for job j in e's route: the cost increase, with the position in `at`. */
  bestInsertion(e: number, j: number, at: { position: number }): number {
    const route = this.routes[e]!;
    const n = route.length;
    if (
      !this.capable[j * this.engineerCount + e] ||
      n >= this.jobsLeft[e]! ||
      this.routeWork[e]! + this.jDuration[j]! > this.minutesLeft[e]!
    )
      return INF;
    // Every position needs the legs into and out of j; each is measured once here.
    const located = this.jHas[j] === 1;
    const legs = this.legs;
    if (located) for (let k = 0; k < n; k++) if (this.jHas[route[k]!]) legs[k] = this.legTo(e, route[k]!, j);
    const fromStart = located ? this.legTo(e, -1, j) : UNKNOWN_TRAVEL_MINUTES;
    const toHome = located ? this.legHome(e, j) : 0;
    const o = e * this.stride;
    const until = this.until[e]!;
    const base = this.routeCost[e]!;
    let best = INF;
    for (let p = 0; p <= n; p++) {
      // The replay of `variant` for one insertion, with j's legs from the table.
      const from = this.pAtIndex[o + p]!;
      const legIn = !located ? UNKNOWN_TRAVEL_MINUTES : from === -1 ? fromStart : legs[from]!;
      let t = this.pClock[o + p]! + legIn + this.jDuration[j]!;
      if (t > until) continue;
      let travel = this.pTravel[o + p]! + legIn;
      let late = this.pLate[o + p]!;
      let misses = this.pMisses[o + p]!;
      if (t > this.jDue[j]!) {
        misses++;
        late += t - this.jDue[j]!;
      }
      let moved = located;
      let feasible = true;
      for (let k = p; k < n; k++) {
        const r = route[k]!;
        let leg: number;
        if (!this.jHas[r]) leg = UNKNOWN_TRAVEL_MINUTES;
        else if (moved) {
          leg = legs[k]!;
          moved = false;
        } else leg = this.pLeg[o + k]!;
        t += leg + this.jDuration[r]!;
        if (t > until) {
          feasible = false;
          break;
        }
        travel += leg;
        if (t > this.jDue[r]!) {
          misses++;
          late += t - this.jDue[r]!;
        }
      }
      if (!feasible) continue;
      travel += moved ? toHome : this.homeLeg[e]!;
      const delta = travel + LATE_WEIGHT * late + MISS_WEIGHT * misses - base;
      if (delta < best - EPSILON) {
        best = delta;
        at.position = p;
      }
    }
    return best;
  }

  /** The cheapest cost of e's route with the job at index i taken out and job j put in anywhere. */
  bestReplacement(e: number, i: number, j: number, at: { position: number }): number {
    const n = this.routes[e]!.length;
    let best = INF;
    for (let p = 0; p < n; p++) {
      const cost = p <= i ? this.variant(e, p, j, p, i) : this.variant(e, i, j, p + 1, i);
      if (cost < best - EPSILON) {
        best = cost;
        at.position = p;
      }
    }
    return best;
  }

  /** e's route without the job at index i: its cost (never infeasible: dropping a job only frees time). */
  costWithout(e: number, i: number): number {
    return this.variant(e, i, -1, -1, i);
  }

  /** e's route with the job at index i replaced by job j. */
  costReplacing(e: number, i: number, j: number): number {
    const cost = this.variant(e, i, j, i, i);
    return cost;
  }

  insert(e: number, j: number, position: number) {
    this.routes[e]!.splice(position, 0, j);
    this.owner[j] = e;
    this.routeWork[e]! += this.jDuration[j]!;
    this.recost(e);
  }

  remove(e: number, i: number): number {
    const [j] = this.routes[e]!.splice(i, 1);
    this.owner[j!] = -1;
    this.routeWork[e]! -= this.jDuration[j!]!;
    this.recost(e);
    return j!;
  }

  recost(e: number) {
    this.changed[e] = ++this.version;
    const route = this.routes[e]!;
    this.routeCost[e] = this.cost(e, route, route.length);
    // The same replay as `cost`, keeping the state before each job for `variant`.
    const o = e * this.stride;
    let t = this.from[e]!;
    let at = -1;
    let atIndex = -1;
    let travel = 0;
    let late = 0;
    let misses = 0;
    for (let k = 0; k <= route.length; k++) {
      this.pClock[o + k] = t;
      this.pAt[o + k] = at;
      this.pAtIndex[o + k] = atIndex;
      this.pTravel[o + k] = travel;
      this.pLate[o + k] = late;
      this.pMisses[o + k] = misses;
      if (k === route.length) break;
      const j = route[k]!;
      const leg = this.jHas[j] ? this.legTo(e, at, j) : UNKNOWN_TRAVEL_MINUTES;
      this.pLeg[o + k] = leg;
      t += leg + this.jDuration[j]!;
      const due = this.jDue[j]!;
      if (t > due) {
        misses++;
        late += t - due;
      }
      travel += leg;
      if (this.jHas[j]) {
        at = j;
        atIndex = k;
      }
    }
    this.homeLeg[e] = this.legHome(e, at);
  }
}

/**
 * Each job's candidate engineers: the k capable ones nearest to where their day starts (for a job
 * without a position, equally far from all of them, k picked in rotation). Moves only look at
 * candidates, which keeps a day of thousands of jobs linear; a job none of them can take still
 * goes to anyone with room (`placeLeftovers` in optimizer.ts). Stored flat: job j's candidates are
 * engineers[offset[j] .. offset[j + 1]).
 */
export function candidatesOf(day: DayModel, k: number) {
  const J = day.jobCount;
  const E = day.engineerCount;
  const offset = new Int32Array(J + 1);
  const lists: Int32Array[] = [];
  const reach = new Float64Array(E);
  for (let j = 0; j < J; j++) {
    const capable: number[] = [];
    for (let e = 0; e < E; e++) if (day.capable[j * E + e]) capable.push(e);
    if (capable.length > k) {
      if (day.jHas[j]) {
        // The k nearest by insertion into a short sorted list: k is small, the capable list is not.
        const nearest: number[] = [];
        for (const e of capable) {
          const r = day.reach(e, j);
          reach[e] = r;
          if (nearest.length === k && r >= reach[nearest[k - 1]!]!) continue;
          let at = nearest.length === k ? k - 1 : nearest.length;
          while (at > 0 && reach[nearest[at - 1]!]! > r) {
            nearest[at] = nearest[at - 1]!;
            at--;
          }
          nearest[at] = e;
        }
        capable.length = 0;
        capable.push(...nearest);
      } else {
        // Equally far from everyone: k of them, a different k for each job so they share the load.
        const from = (j * 7919) % capable.length;
        const chosen = Array.from({ length: k }, (_, i) => capable[(from + i) % capable.length]!);
        capable.length = 0;
        capable.push(...chosen.sort((a, b) => a - b));
      }
    }
    lists.push(Int32Array.from(capable));
    offset[j + 1] = offset[j]! + capable.length;
  }
  const engineers = new Int32Array(offset[J]!);
  lists.forEach((list, j) => {
    engineers.set(list, offset[j]!);
  });
  // The other way round: for each engineer, the slots that name them, to update after a placement.
  const slotsOf: number[][] = Array.from({ length: E }, () => []);
  for (let s = 0; s < engineers.length; s++) slotsOf[engineers[s]!]!.push(s);
  const jobOfSlot = new Int32Array(engineers.length);
  for (let j = 0; j < J; j++) jobOfSlot.fill(j, offset[j]!, offset[j + 1]!);
  return { offset, engineers, slotsOf, jobOfSlot };
}

export type Candidates = ReturnType<typeof candidatesOf>;
