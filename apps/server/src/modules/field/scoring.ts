import type { AssignmentSuggestion, ScoreParts, SuggestionReason } from '@serviceloop/contracts';
import { haversineKm, type Point, travelMinutes } from './geo';

/**
 * Ranks engineers for one ticket. Pure: the service gathers the facts (profiles, today's load,
 * positions, history with the customer, van stock) and this decides. Each part of the score is
 * 0–1 and shown to the dispatcher beside the reasons, so a ranking can be argued with.
 */

export const WEIGHTS: ScoreParts = { skill: 30, distance: 20, load: 15, urgency: 15, history: 10, parts: 10 };

export interface SuggestionJob {
  requiredSkills: string[];
  location: Point | null;
  dueAt: Date | null;
  durationMinutes: number;
  regionCode: string | null;
  /** Whether the product model is known, so van parts can be judged at all. */
  modelKnown: boolean;
}

export interface Candidate {
  engineerId: string;
  displayName: string;
  /** Skills valid on the day, certifications included. */
  skills: string[];
  regionCodes: string[];
  position: { point: Point; source: 'check_in' | 'home' } | null;
  /** Today's working window; null when off. */
  shift: { start: Date; end: Date } | null;
  onLeave: boolean;
  jobsToday: number;
  minutesToday: number;
  /** End of the last planned visit today, if any. */
  busyUntil: Date | null;
  capacityJobs: number;
  capacityMinutes: number;
  history: { visits: number; averageCsat: number | null };
  /** Parts in the engineer's van that fit the ticket's product model. */
  vanParts: { sku: string; quantity: number }[];
}

const MINUTE = 60_000;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const clamp = (n: number) => Math.max(0, Math.min(1, n));

export function scoreCandidate(job: SuggestionJob, c: Candidate, now: Date): AssignmentSuggestion {
  const reasons: SuggestionReason[] = [];
  const say = (code: string, effect: SuggestionReason['effect'], params: SuggestionReason['params'] = {}) =>
    reasons.push({ code, effect, params });

  if (c.onLeave) say('on_leave', 'block');
  else if (!c.shift) say('not_working', 'block');

  // Skills: every required skill is needed; a partial match is shown but cannot be dispatched.
  const missing = job.requiredSkills.filter((s) => !c.skills.includes(s));
  const skill = job.requiredSkills.length === 0 ? 1 : 1 - missing.length / job.requiredSkills.length;
  if (missing.length) say('missing_skills', 'block', { skills: missing.join(', ') });
  else if (job.requiredSkills.length) say('has_skills', 'plus', { skills: job.requiredSkills.join(', ') });

  if (job.regionCode && c.regionCodes.length && !c.regionCodes.includes(job.regionCode))
    say('outside_region', 'minus', { region: job.regionCode });

  // Distance from where the engineer is now (last check-in today) or starts (home base).
  let distanceKm: number | null = null;
  let travel: number | null = null;
  let distance = 0.5;
  if (c.position && job.location) {
    distanceKm = round(haversineKm(c.position.point, job.location), 1);
    travel = Math.round(travelMinutes(c.position.point, job.location));
    // 0 km scores 1, 25 km a half, 100 km a fifth.
    distance = 1 / (1 + distanceKm / 25);
    say(
      c.position.source === 'check_in' ? 'distance_from_site' : 'distance_from_home',
      distanceKm <= 30 ? 'plus' : 'minus',
      {
        km: distanceKm,
        minutes: travel,
      },
    );
  } else say('distance_unknown', 'minus');

  // Load: the fuller of jobs and hours against capacity.
  const ratio = Math.max(c.jobsToday / c.capacityJobs, c.minutesToday / c.capacityMinutes);
  const load = clamp(1 - ratio);
  if (ratio >= 1) say('at_capacity', 'block', { jobs: c.jobsToday, capacity: c.capacityJobs });
  else say('load', ratio <= 0.5 ? 'plus' : 'minus', { jobs: c.jobsToday, capacity: c.capacityJobs });

  // Urgency: when could they finish, against the SLA due time.
  let earliestStart: Date | null = null;
  let urgency = 0.5;
  if (c.shift) {
    const free = Math.max(now.getTime(), c.shift.start.getTime(), c.busyUntil?.getTime() ?? 0);
    earliestStart = new Date(free + (travel ?? 30) * MINUTE);
    const finish = earliestStart.getTime() + job.durationMinutes * MINUTE;
    if (finish > c.shift.end.getTime()) say('past_shift_end', 'minus');
    if (job.dueAt) {
      const slack = (job.dueAt.getTime() - finish) / MINUTE;
      // Finishing with time to spare scores 1; each hour late takes a quarter off.
      urgency = slack >= 0 ? 1 : clamp(1 + slack / 240);
      if (slack >= 0) say('meets_sla', 'plus', { minutes: Math.round(slack) });
      else say('misses_sla', 'minus', { minutes: Math.round(-slack) });
    }
  } else urgency = 0;

  // Customer history: repeat visits build familiarity; their ratings say whether it went well.
  const { visits, averageCsat } = c.history;
  const history = clamp(Math.min(visits, 3) / 3) * 0.6 + (averageCsat === null ? 0.2 : ((averageCsat - 1) / 4) * 0.4);
  if (visits > 0)
    say('customer_history', averageCsat === null || averageCsat >= 4 ? 'plus' : 'minus', {
      visits,
      csat: averageCsat === null ? '—' : round(averageCsat, 1),
    });

  // Parts already in the van for this model: the job need not wait for a requisition.
  let parts = 0.5;
  if (job.modelKnown) {
    const units = c.vanParts.reduce((sum, p) => sum + p.quantity, 0);
    parts = clamp(c.vanParts.length / 2);
    if (units > 0)
      say('van_parts', 'plus', { count: c.vanParts.length, skus: c.vanParts.map((p) => p.sku).join(', ') });
    else say('no_van_parts', 'minus');
  }

  const scoreParts: ScoreParts = {
    skill: round(skill),
    distance: round(distance),
    load: round(load),
    urgency: round(urgency),
    history: round(history),
    parts: round(parts),
  };
  const score = round(
    (Object.keys(WEIGHTS) as (keyof ScoreParts)[]).reduce((sum, k) => sum + WEIGHTS[k] * scoreParts[k], 0),
    1,
  );
  return {
    engineerId: c.engineerId,
    displayName: c.displayName,
    eligible: !reasons.some((r) => r.effect === 'block'),
    score,
    parts: scoreParts,
    reasons,
    distanceKm,
    travelMinutes: travel,
    earliestStart: earliestStart?.toISOString() ?? null,
  };
}

/** Eligible engineers first, then by score; ties by name, so the order never flickers. */
export function rankCandidates(job: SuggestionJob, candidates: Candidate[], now: Date): AssignmentSuggestion[] {
  return candidates
    .map((c) => scoreCandidate(job, c, now))
    .sort(
      (a, b) =>
        Number(b.eligible) - Number(a.eligible) ||
        b.score - a.score ||
        a.displayName.localeCompare(b.displayName) ||
        a.engineerId.localeCompare(b.engineerId),
    );
}
