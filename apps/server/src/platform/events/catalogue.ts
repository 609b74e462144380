import { EVENT_CATALOGUE, expandEventPattern, isEventName } from '@serviceloop/contracts';

/**
 * What the event backbone checks against the catalogue in packages/contracts/src/events.ts: a
 * subscription's patterns expand to catalogued names (an unknown one stops the start), and an event
 * is written only under a catalogued name. Payloads are typed at every emit site (NewEvent), so
 * drift fails the type check; at run time a payload that still differs from its schema (data built
 * dynamically) is reported to `onMismatch`, never a reason to refuse the change it records.
 */
export interface EventCatalogue {
  expand(pattern: string): string[];
  check(type: string, data: Record<string, unknown>): void;
}

export function eventCatalogue(options: { onMismatch?: (type: string, issues: unknown) => void } = {}): EventCatalogue {
  return {
    expand: expandEventPattern,
    check(type, data) {
      if (!isEventName(type))
        throw new Error(`event ${type} is not in the event catalogue (packages/contracts/src/events.ts)`);
      if (!options.onMismatch) return;
      const parsed = EVENT_CATALOGUE[type].payload.safeParse(data);
      if (!parsed.success) options.onMismatch(type, parsed.error.issues);
    },
  };
}
