import { and, count, desc, eq, gte, lte, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { events } from '../../platform/events/tables';
import { users } from './tables';

/** The audit log is the platform's event table, searched. */
export async function listAudit(
  db: Executor,
  q: {
    page: number;
    pageSize: number;
    type?: string;
    entityType?: string;
    entityId?: string;
    actorId?: string;
    from?: string;
    to?: string;
  },
) {
  const where: SQL[] = [];
  if (q.type) where.push(eq(events.type, q.type));
  if (q.entityType) where.push(eq(events.entityType, q.entityType));
  if (q.entityId) where.push(eq(events.entityId, q.entityId));
  if (q.actorId) where.push(eq(events.actorId, q.actorId));
  if (q.from) where.push(gte(events.occurredAt, new Date(q.from)));
  if (q.to) where.push(lte(events.occurredAt, new Date(q.to)));
  const condition = where.length ? and(...where) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select({ e: events, actorName: users.displayName })
      .from(events)
      .leftJoin(users, eq(users.id, events.actorId))
      .where(condition)
      .orderBy(desc(events.seq))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(events).where(condition),
  ]);
  return {
    items: rows.map(({ e, actorName }) => ({
      id: e.id,
      occurredAt: e.occurredAt.toISOString(),
      type: e.type,
      entityType: e.entityType,
      entityId: e.entityId,
      actorKind: e.actorKind,
      actorId: e.actorId,
      actorName: actorName ?? null,
      changes: e.changes as Record<string, unknown>,
      data: e.data as Record<string, unknown>,
    })),
    total: total!.n,
    page: q.page,
    pageSize: q.pageSize,
  };
}
