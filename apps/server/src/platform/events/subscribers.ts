import type { Tx } from '../db/client';
import type { EventCatalogue } from './catalogue';
import type { StoredEvent } from './event-log';

/**
 * A reaction to events. `handle` runs inside the transaction that marks the delivery done,
 * so database effects happen once; outside effects (webhooks, mail) must be idempotent on
 * `event.id`, because delivery is at least once.
 */
export interface Subscriber {
  /** Stable: outbox rows are addressed by it. Renaming one orphans its pending deliveries. */
  name: string;
  /**
   * Event types this subscriber wants: catalogued names, prefixes like `ticket.*`, or `*` for all;
   * prefixes and `*` expand from the catalogue when the subscriber registers.
   */
  types: readonly string[] | '*';
  handle(event: StoredEvent, tx: Tx): Promise<void>;
  /**
   * Optional: takes a whole batch of this subscriber's due events (in order) at once, for
   * projections where one statement per batch beats one per event. Replaces `handle` then.
   */
  handleBatch?(events: StoredEvent[], tx: Tx): Promise<void>;
  /** Optional: called once its handled events are committed, e.g. to tell live views to refetch. */
  afterCommit?(): void;
  /**
   * Optional: the savepoint its handled events ran in rolled back (the dispatcher then retries
   * them one by one): forget what `afterCommit` would have announced for them.
   */
  rolledBack?(): void;
}

/** A subscriber's behaviour without its name and types, which its module's reactions.ts gives. */
export type Reaction = Omit<Subscriber, 'name' | 'types'>;

const wants = (types: Subscriber['types'], type: string) =>
  types === '*' || types.some((t) => t === type || (t.endsWith('.*') && type.startsWith(t.slice(0, -1))));

export class SubscriberRegistry {
  private readonly byName = new Map<string, Subscriber>();
  /** Each subscriber's patterns expanded to catalogued names (with a catalogue only). */
  private readonly expanded = new Map<string, Set<string>>();

  /** With a catalogue, registering a name it does not know throws: at start-up, not in silence. */
  constructor(private readonly catalogue?: Pick<EventCatalogue, 'expand'>) {}

  register(subscriber: Subscriber): void {
    if (this.byName.has(subscriber.name)) throw new Error(`subscriber ${subscriber.name} registered twice`);
    if (this.catalogue) {
      const patterns = subscriber.types === '*' ? ['*'] : subscriber.types;
      try {
        this.expanded.set(subscriber.name, new Set(patterns.flatMap((p) => this.catalogue!.expand(p))));
      } catch (error) {
        throw new Error(`subscriber ${subscriber.name}: ${(error as Error).message}`);
      }
    }
    this.byName.set(subscriber.name, subscriber);
  }

  get(name: string): Subscriber | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  namesFor(type: string): string[] {
    return [...this.byName.values()]
      .filter((s) => this.expanded.get(s.name)?.has(type) ?? wants(s.types, type))
      .map((s) => s.name);
  }

  /** Each subscriber with the event names it receives (the catalogue's expansion when there is one). */
  subscriptions(): { name: string; types: string[] }[] {
    return [...this.byName.values()].map((s) => ({
      name: s.name,
      types: [...(this.expanded.get(s.name) ?? (s.types === '*' ? ['*'] : s.types))],
    }));
  }
}
