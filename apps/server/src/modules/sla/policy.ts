import type { Priority } from '@serviceloop/contracts';

/**
 * Which policy holds a ticket to account: among the active policies for its priority, those
 * whose tier and contract are either unset or the ticket's own; a contract match outranks a tier
 * match, which outranks a catch-all. Pure, so the rule is tested without a database.
 */
export interface PolicyCandidate {
  id: string;
  priority: string;
  customerTier: string | null;
  contractId: string | null;
  active: boolean;
}

export interface TicketTerms {
  priority: Priority;
  customerTier: 'standard' | 'vip' | null;
  contractId: string | null;
}

export function matchPolicy<P extends PolicyCandidate>(policies: readonly P[], terms: TicketTerms): P | null {
  let best: P | null = null;
  let bestScore = -1;
  for (const p of policies) {
    if (!p.active || p.priority !== terms.priority) continue;
    if (p.customerTier !== null && p.customerTier !== terms.customerTier) continue;
    if (p.contractId !== null && p.contractId !== terms.contractId) continue;
    const score = (p.contractId !== null ? 2 : 0) + (p.customerTier !== null ? 1 : 0);
    if (score > bestScore) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}
