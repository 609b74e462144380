import { type Point, travelMinutes } from './geo';

/**
 * The day-planning model both planners share: engineers with what is left of their day, jobs,
 * and how one engineer's ordered route plays out (when each job starts, how late it ends against
 * its SLA due time, how far the engineer drives). Times are minutes since local midnight.
 */

export interface PlanEngineer {
  id: string;
  /** Valid on the day (skills plus unexpired certifications). */
  skills: string[];
  /** Where the route starts: the last committed job's site, the last check-in, or home. */
  start: Point | null;
  /** Home base, where the day ends; null means the day ends at the last job. */
  home: Point | null;
  /** The working window of the day; null when off or on leave. */
  shift: { start: number; end: number } | null;
  /** Committed work already on the day: the route cannot start before this minute. */
  busyUntil: number;
  /** Jobs and work minutes still free today (capacity minus what is already committed). */
  jobsLeft: number;
  minutesLeft: number;
}

export interface PlanJob {
  id: string;
  location: Point | null;
  durationMinutes: number;
  requiredSkills: string[];
  /** SLA due time in minutes of the day (may lie before 0 or after 1440); null without an SLA. */
  due: number | null;
}

export interface Stop {
  jobId: string;
  engineerId: string;
  start: number;
  end: number;
  travelMinutes: number;
  lateMinutes: number;
}

export interface RouteOutcome {
  feasible: boolean;
  stops: Stop[];
  travel: number;
  late: number;
  misses: number;
}

export interface Totals {
  assigned: number;
  unassigned: number;
  travelMinutes: number;
  slaMisses: number;
  lateMinutes: number;
}

export interface Plan {
  stops: Stop[];
  unassigned: { jobId: string; reason: string }[];
  totals: Totals;
}

/** One missed SLA weighs as much as two hours of driving; each late minute as one minute driven. */
export const MISS_WEIGHT = 120;
export const LATE_WEIGHT = 1;

export const canDo = (engineer: PlanEngineer, job: PlanJob): boolean =>
  job.requiredSkills.every((s) => engineer.skills.includes(s));

/** Plays an ordered route out; infeasible if it breaks the shift, the job count or the work minutes. */
export function playRoute(engineer: PlanEngineer, jobs: readonly PlanJob[]): RouteOutcome {
  const stops: Stop[] = [];
  if (jobs.length === 0) return { feasible: true, stops, travel: 0, late: 0, misses: 0 };
  if (!engineer.shift || jobs.length > engineer.jobsLeft)
    return { feasible: false, stops, travel: 0, late: 0, misses: 0 };
  let t = Math.max(engineer.shift.start, engineer.busyUntil);
  let at = engineer.start;
  let travel = 0;
  let late = 0;
  let misses = 0;
  let work = 0;
  for (const job of jobs) {
    const leg = travelMinutes(at, job.location);
    const start = t + leg;
    const end = start + job.durationMinutes;
    work += job.durationMinutes;
    if (end > engineer.shift.end || work > engineer.minutesLeft)
      return { feasible: false, stops, travel, late, misses };
    const lateBy = job.due === null ? 0 : Math.max(0, end - job.due);
    if (lateBy > 0) misses++;
    late += lateBy;
    travel += leg;
    stops.push({ jobId: job.id, engineerId: engineer.id, start, end, travelMinutes: leg, lateMinutes: lateBy });
    t = end;
    at = job.location ?? at;
  }
  // The drive home counts as travel but may run past the shift: nobody is stranded on site.
  if (engineer.home) travel += travelMinutes(at, engineer.home);
  return { feasible: true, stops, travel, late, misses };
}

export const routeCost = (r: RouteOutcome): number => r.travel + LATE_WEIGHT * r.late + MISS_WEIGHT * r.misses;

export function totalsOf(stops: Stop[], travel: number, unassigned: number): Totals {
  return {
    assigned: stops.length,
    unassigned,
    travelMinutes: Math.round(travel * 10) / 10,
    slaMisses: stops.filter((s) => s.lateMinutes > 0).length,
    lateMinutes: Math.round(stops.reduce((sum, s) => sum + s.lateMinutes, 0) * 10) / 10,
  };
}

/** Why a job found no place: nobody with the skills works that day, or everyone who could is full. */
export function unplacedReason(engineers: readonly PlanEngineer[], job: PlanJob): string {
  return engineers.some((e) => e.shift && canDo(e, job)) ? 'field.no_capacity' : 'field.no_skilled_engineer';
}

/** A plan from final routes, in engineer then time order. */
export function planOf(
  engineers: readonly PlanEngineer[],
  routes: Map<string, PlanJob[]>,
  unassigned: { jobId: string; reason: string }[],
): Plan {
  const stops: Stop[] = [];
  let travel = 0;
  for (const engineer of engineers) {
    const outcome = playRoute(engineer, routes.get(engineer.id) ?? []);
    stops.push(...outcome.stops);
    travel += outcome.travel;
  }
  return { stops, unassigned, totals: totalsOf(stops, travel, unassigned.length) };
}
