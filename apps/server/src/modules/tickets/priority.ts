import type { Priority } from '@serviceloop/contracts';

/**
 * Triage levels from seed 001 §二 (P0 system down / production stopped / safety … P3 consultation
 * or cosmetic). The seed gives no minutes; these wall-clock targets are the starting point of the
 * sla module's default policies, and the due times a ticket shows from triage until its SLA
 * clocks (business calendars, per-tier and per-contract policies) replace them.
 */
export const PRIORITY_TARGETS: Record<Priority, { responseMinutes: number; resolutionMinutes: number }> = {
  P0: { responseMinutes: 30, resolutionMinutes: 4 * 60 },
  P1: { responseMinutes: 2 * 60, resolutionMinutes: 24 * 60 },
  P2: { responseMinutes: 8 * 60, resolutionMinutes: 3 * 24 * 60 },
  P3: { responseMinutes: 24 * 60, resolutionMinutes: 7 * 24 * 60 },
};

export function dueTimes(priority: Priority, reportedAt: Date) {
  const t = PRIORITY_TARGETS[priority];
  return {
    responseDueAt: new Date(reportedAt.getTime() + t.responseMinutes * 60_000),
    resolutionDueAt: new Date(reportedAt.getTime() + t.resolutionMinutes * 60_000),
  };
}

/** A starting point for triage: severity, lifted one level for VIP customers. */
export function suggestPriority(severity: 'critical' | 'major' | 'minor' | 'cosmetic', vip: boolean): Priority {
  const base: Priority = ({ critical: 'P0', major: 'P1', minor: 'P2', cosmetic: 'P3' } as const)[severity];
  if (!vip || base === 'P0') return base;
  return (['P0', 'P1', 'P2'] as const)[['P1', 'P2', 'P3'].indexOf(base)]!;
}
