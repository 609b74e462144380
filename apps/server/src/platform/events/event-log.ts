import type { EventName, EventPayload } from '@serviceloop/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { Clock } from '../clock';
import { type Executor, rows, textArray } from '../db/client';
import { newId } from '../ids';
import type { EventCatalogue } from './catalogue';
import type { SubscriberRegistry } from './subscribers';

export type ActorKind = 'user' | 'token' | 'system' | 'anonymous';
export type Visibility = 'internal' | 'customer';

/** Who caused a change: written on every event, and what permission checks look at. */
export interface EventActor {
  kind: ActorKind;
  id: string | null;
}
export const SYSTEM_ACTOR: EventActor = { kind: 'system', id: null };

/** Before → after of each changed field. */
export type Changes = Record<string, { from: unknown; to: unknown }>;

type PayloadOf<N extends string> = N extends EventName ? EventPayload<N> : Record<string, unknown>;

/** An event to write: a catalogued name and the payload its catalogue entry declares. */
export interface NewEvent<N extends string = EventName> {
  type: N;
  entityType: string;
  entityId: string;
  actor: EventActor;
  visibility?: Visibility;
  changes?: Changes;
  data?: PayloadOf<N> & Record<string, unknown>;
  requestId?: string;
}

export interface StoredEvent extends Required<Omit<NewEvent, 'requestId' | 'type' | 'data'>> {
  /** A catalogued name (string: rows written before a rename still arrive). */
  type: string;
  data: Record<string, unknown>;
  id: string;
  seq: number;
  occurredAt: Date;
  requestId: string | null;
}

/**
 * Appends domain events inside the caller's transaction, together with one outbox row
 * per interested subscriber: the event and its deliveries commit or vanish with the change.
 */
export class EventLog<Names extends string = EventName> {
  constructor(
    private readonly clock: Clock,
    private readonly subscribers: SubscriberRegistry,
    /** Without one (the backbone's own tests) any name is written. */
    private readonly catalogue?: Pick<EventCatalogue, 'check'>,
  ) {}

  async append<N extends Names>(tx: Executor, event: NewEvent<N>): Promise<string> {
    const { id, json } = this.record(event);
    await tx.execute(sql`with ${this.writes(event.type, sql`${json}::jsonb`)} select 1`);
    return id;
  }

  /** An event as the jsonb value `writes` stores, with its new id. */
  record<N extends Names>(event: NewEvent<N>): { id: string; json: string } {
    this.catalogue?.check(event.type, event.data ?? {});
    const now = this.clock.now();
    const id = newId(now.getTime());
    const json = JSON.stringify({
      id,
      occurred_at: now.toISOString(),
      type: event.type,
      entity_type: event.entityType,
      entity_id: event.entityId,
      actor_kind: event.actor.kind,
      actor_id: event.actor.id,
      visibility: event.visibility ?? 'internal',
      changes: event.changes ?? {},
      data: event.data ?? {},
      request_id: event.requestId ?? null,
    });
    return { id, json };
  }

  /**
   * Common-table expressions (`logged_event as (insert …), …`) that store one event of `type`,
   * given as a jsonb value from `record` (a parameter or a placeholder), with an outbox row per
   * interested subscriber. A command puts them beside its own change, so change and event are one
   * statement: one round trip, atomic without a transaction of its own. `computed` is a jsonb
   * expression merged into `data`, for what only the statement knows (e.g. a number it draws).
   */
  writes(type: Names, event: SQL, computed?: SQL): SQL {
    const insert = sql`logged_event as (
      insert into events (id, occurred_at, type, entity_type, entity_id, actor_kind, actor_id, visibility, changes, data, request_id)
      select id, occurred_at, type, entity_type, entity_id, actor_kind, actor_id, visibility, changes,
             data${computed ? sql` || ${computed}` : sql``}, request_id
      from jsonb_populate_record(null::events, ${event})
      returning id, occurred_at)`;
    const names = this.subscribers.namesFor(type);
    if (names.length === 0) return insert;
    return sql`${insert}, logged_deliveries as (
      insert into event_deliveries (event_id, subscriber, next_attempt_at)
      select logged_event.id, unnest(${textArray(names)}), logged_event.occurred_at from logged_event)`;
  }

  /** The events of one entity in order; customers pass `customer` to see only what is theirs to see. */
  async forEntity(db: Executor, entityType: string, entityId: string, visibility?: Visibility): Promise<StoredEvent[]> {
    const found = await rows<EventRow>(
      db,
      sql`select * from events where entity_type = ${entityType} and entity_id = ${entityId}
          ${visibility === 'customer' ? sql`and visibility = 'customer'` : sql``} order by seq`,
    );
    return found.map(toStoredEvent);
  }
}

/** Lists only the fields whose value really changed. */
export function diff<T extends Record<string, unknown>>(before: T, after: Partial<T>): Changes {
  const changes: Changes = {};
  for (const [key, to] of Object.entries(after)) {
    const from = before[key];
    if (to !== undefined && JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from: from ?? null, to };
  }
  return changes;
}

export interface EventRow {
  id: string;
  seq: string | number;
  occurred_at: string | Date;
  type: string;
  entity_type: string;
  entity_id: string;
  actor_kind: ActorKind;
  actor_id: string | null;
  visibility: Visibility;
  changes: Changes;
  data: Record<string, unknown>;
  request_id: string | null;
}

export function toStoredEvent(r: EventRow): StoredEvent {
  return {
    id: r.id,
    seq: Number(r.seq),
    occurredAt: new Date(r.occurred_at),
    type: r.type,
    entityType: r.entity_type,
    entityId: r.entity_id,
    actor: { kind: r.actor_kind, id: r.actor_id },
    visibility: r.visibility,
    changes: r.changes,
    data: r.data,
    requestId: r.request_id,
  };
}
