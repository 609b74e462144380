import type { Priority } from '@serviceloop/contracts';

/** A starting point for triage: severity, lifted one level for VIP customers. */
export function suggestPriority(severity: 'critical' | 'major' | 'minor' | 'cosmetic', vip: boolean): Priority {
  const base: Priority = ({ critical: 'P0', major: 'P1', minor: 'P2', cosmetic: 'P3' } as const)[severity];
  if (!vip || base === 'P0') return base;
  return (['P0', 'P1', 'P2'] as const)[['P1', 'P2', 'P3'].indexOf(base)]!;
}
