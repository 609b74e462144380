import type { Tx } from '../db/client';
import type { StoredEvent } from './event-log';

/**
 * A reaction to events. `handle` runs inside the transaction that marks the delivery done,
 * so database effects happen once; outside effects (webhooks, mail) must be idempotent on
 * `event.id`, because delivery is at least once.
 */
export interface Subscriber {
  /** Stable: outbox rows are addressed by it. Renaming one orphans its pending deliveries. */
  name: string;
  /** Event types this subscriber wants: exact types, prefixes like `ticket.*`, or `*` for all. */
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

const wants = (types: Subscriber['types'], type: string) =>
  types === '*' || types.some((t) => t === type || (t.endsWith('.*') && type.startsWith(t.slice(0, -1))));

export class SubscriberRegistry {
  private readonly byName = new Map<string, Subscriber>();

  register(subscriber: Subscriber): void {
    if (this.byName.has(subscriber.name)) throw new Error(`subscriber ${subscriber.name} registered twice`);
    this.byName.set(subscriber.name, subscriber);
  }

  get(name: string): Subscriber | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  namesFor(type: string): string[] {
    return [...this.byName.values()].filter((s) => wants(s.types, type)).map((s) => s.name);
  }
}
