import type { MovementKind } from '@serviceloop/contracts';

/**
 * The arithmetic of the stock ledger, without I/O. Each movement kind has one fixed effect on
 * the three quantities of a (part, warehouse); stock is the sum of the effects. The migration's
 * `stock_movements_effect` check states the same table in SQL.
 */

export interface Quantities {
  onHand: number;
  reserved: number;
  defective: number;
}

export const EMPTY: Quantities = { onHand: 0, reserved: 0, defective: 0 };

export const available = (q: Quantities) => q.onHand - q.reserved;

/** The change a movement of `kind` and `quantity` makes. Only adjustments may be negative. */
export function effect(kind: MovementKind, quantity: number): Quantities {
  if (!Number.isInteger(quantity) || quantity === 0) throw new Error(`bad quantity ${quantity}`);
  if (kind !== 'adjustment' && quantity < 0) throw new Error(`${kind} takes a positive quantity`);
  switch (kind) {
    case 'receipt':
    case 'transfer_in':
    case 'adjustment':
      return { onHand: quantity, reserved: 0, defective: 0 };
    case 'issue':
    case 'transfer_out':
    case 'consumption':
      return { onHand: -quantity, reserved: 0, defective: 0 };
    case 'return_defective':
      return { onHand: 0, reserved: 0, defective: quantity };
    case 'reservation':
      return { onHand: 0, reserved: quantity, defective: 0 };
    case 'release':
      return { onHand: 0, reserved: -quantity, defective: 0 };
  }
}

export type Applied = { ok: true; after: Quantities } | { ok: false; available: number };

/**
 * Applies an effect if the result keeps every invariant: nothing negative, and never more
 * reserved than on hand (available ≥ 0). Taking stock out refuses anything beyond what is
 * available — reserved units are promised to someone else. A release beyond what is reserved
 * is a programming error upstream (releases are checked against their reservation), so it is
 * refused the same way rather than trusted.
 */
export function apply(before: Quantities, delta: Quantities): Applied {
  const after = {
    onHand: before.onHand + delta.onHand,
    reserved: before.reserved + delta.reserved,
    defective: before.defective + delta.defective,
  };
  if (after.onHand < 0 || after.reserved < 0 || after.defective < 0 || available(after) < 0) {
    return { ok: false, available: Math.max(0, available(before)) };
  }
  return { ok: true, after };
}

/** Sums effects, as the ledger check does in SQL. */
export function sum(deltas: Quantities[]): Quantities {
  return deltas.reduce(
    (acc, d) => ({
      onHand: acc.onHand + d.onHand,
      reserved: acc.reserved + d.reserved,
      defective: acc.defective + d.defective,
    }),
    EMPTY,
  );
}

/**
 * The reorder reminder is an edge, not a level: raised when available drops below the point
 * while no alert is open, cleared once available is back at or above it. Between the two,
 * movements change nothing — so a keeper is reminded once per dip, not on every issue.
 */
export function reorderTransition(
  availableNow: number,
  reorderPoint: number | null,
  alertOpen: boolean,
): 'raise' | 'clear' | null {
  if (reorderPoint === null) return alertOpen ? 'clear' : null;
  const below = availableNow < reorderPoint;
  if (below && !alertOpen) return 'raise';
  if (!below && alertOpen) return 'clear';
  return null;
}
