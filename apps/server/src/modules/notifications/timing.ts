/**
 * When a message may go out. Pure: quiet hours in Asia/Shanghai (China has no daylight saving,
 * so local time is UTC+8 all year) and the retry schedule.
 */
const SHANGHAI_OFFSET_MINUTES = 8 * 60;
const DAY = 24 * 60;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * If `now` falls in the quiet window [start, end) — which may span midnight, e.g. 22:00–07:00 —
 * the moment it ends; otherwise null.
 */
export function quietUntil(now: Date, quiet: { start: string; end: string } | null): Date | null {
  if (!quiet) return null;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return null;
  const local = (Math.floor(now.getTime() / 60_000) + SHANGHAI_OFFSET_MINUTES) % DAY;
  const inside = start < end ? local >= start && local < end : local >= start || local < end;
  if (!inside) return null;
  const wait = (end - local + DAY) % DAY;
  const minuteStart = Math.floor(now.getTime() / 60_000) * 60_000;
  return new Date(minuteStart + wait * 60_000);
}

/**
 * Exponential backoff with jitter: the n-th failure waits base·2^(n−1), capped, then a random
 * part of it is taken off ("equal jitter"), so receivers that were down together are not hit by
 * every sender at the same second when they come back.
 */
export function retryDelayMs(failures: number, random: () => number, baseMs = 30_000, capMs = 2 * 3_600_000): number {
  const full = Math.min(capMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(full / 2 + (full / 2) * random());
}

/**
 * Attempts per channel. Webhooks retry over hours (30 s doubling to a 2 h cap: 13 attempts span
 * about 5–10 h with jitter), since integrations go down for maintenance; a robot message or an
 * email that is hours late is worth less, so they stop sooner (8 attempts: about ½–1 h).
 */
export const MAX_ATTEMPTS = { webhook: 13, wecom: 8, dingtalk: 8, feishu: 8, email: 8, sms: 5 } as const;
