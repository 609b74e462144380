import type { RecordEntity } from '@serviceloop/contracts';
import { and, count, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { diff, type EventActor } from '../events/event-log';
import { AppError, duplicate, notFound, staleVersion } from '../http/errors';
import { newId } from '../ids';
import type { Platform } from '../index';

type VersionedTable = PgTable & { id: PgColumn; version: PgColumn };
type Row<T extends PgTable> = T['$inferSelect'];
type Insert<T extends PgTable> = T['$inferInsert'];

export interface ListOptions {
  where: (SQL | undefined)[];
  orderBy: (SQL | PgColumn)[];
  page: number;
  pageSize: number;
}

const isForeignKeyViolation = (e: unknown) =>
  (e as { code?: string })?.code === '23503' || (e as { cause?: { code?: string } })?.cause?.code === '23503';

/**
 * Versioned records with their history: every create, update and delete is one transaction
 * that also appends `<entity>.created|updated|deleted` with the fields that changed; the entity
 * names one of the catalogue's record families (packages/contracts/src/events.ts). Reads and
 * writes take the caller's scope condition, so a record outside it is simply not found.
 */
export class Records<T extends VersionedTable> {
  constructor(
    private readonly platform: Platform,
    private readonly table: T,
    private readonly entityType: RecordEntity,
    /** Unique constraints by name → the field to blame when one refuses a write. */
    private readonly uniqueFields: Record<string, string> = {},
  ) {}

  /** Runs a write; a unique constraint it trips becomes a 409 naming the field. */
  private async guarded<R>(write: () => Promise<R>): Promise<R> {
    try {
      return await write();
    } catch (error) {
      const e = error as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
      const pgError = e.code ? e : e.cause;
      const field = pgError?.code === '23505' && pgError.constraint ? this.uniqueFields[pgError.constraint] : undefined;
      if (field) throw duplicate(field);
      throw error;
    }
  }

  get idColumn(): PgColumn {
    return this.table.id;
  }

  async get(id: string, scope: SQL): Promise<Row<T>> {
    // biome-ignore lint/suspicious/noExplicitAny: drizzle's generic table type is not selectable without a cast.
    const [row] = await this.platform.db
      .select()
      .from(this.table as any)
      .where(and(eq(this.table.id, id), scope));
    if (!row) throw notFound(this.entityType);
    return row as Row<T>;
  }

  async list(options: ListOptions): Promise<{ rows: Row<T>[]; total: number }> {
    const where = and(...options.where.filter(Boolean));
    const db = this.platform.db;
    const [rows, [total]] = await Promise.all([
      db
        .select()
        // biome-ignore lint/suspicious/noExplicitAny: see get().
        .from(this.table as any)
        .where(where)
        .orderBy(...options.orderBy)
        .limit(options.pageSize)
        .offset((options.page - 1) * options.pageSize),
      // biome-ignore lint/suspicious/noExplicitAny: see get().
      db
        .select({ n: count() })
        .from(this.table as any)
        .where(where),
    ]);
    return { rows: rows as Row<T>[], total: total!.n };
  }

  async create(
    values: Omit<Insert<T>, 'id' | 'version' | 'createdAt' | 'updatedAt'>,
    actor: EventActor,
  ): Promise<Row<T>> {
    const now = this.platform.clock.now();
    const row = { ...values, id: newId(now.getTime()), version: 1, createdAt: now } as Insert<T>;
    if ('updatedAt' in getTableColumns(this.table)) (row as Record<string, unknown>).updatedAt = now;
    return this.guarded(() =>
      this.platform.transaction(async (tx) => {
        const [inserted] = await tx.insert(this.table).values(row).returning();
        await this.platform.events.append(tx, {
          type: `${this.entityType}.created` as const,
          entityType: this.entityType,
          entityId: String((inserted as Record<string, unknown>).id),
          actor,
          changes: diff({}, values as Record<string, unknown>),
        });
        return inserted as Row<T>;
      }),
    );
  }

  /** Applies `patch` if the record is still at `version`; a stale version is a 409 carrying the current record. */
  async update(id: string, version: number, patch: Partial<Insert<T>>, actor: EventActor, scope: SQL): Promise<Row<T>> {
    return this.guarded(() =>
      this.platform.transaction(async (tx) => {
        // biome-ignore lint/suspicious/noExplicitAny: see get().
        const [before] = await tx
          .select()
          .from(this.table as any)
          .where(and(eq(this.table.id, id), scope))
          .for('update');
        if (!before) throw notFound(this.entityType);
        const current = before as Record<string, unknown>;
        if (current.version !== version) throw staleVersion(current.version as number, { current });
        const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        const changes = diff(current, defined);
        if (Object.keys(changes).length === 0) return before as Row<T>;
        const set: Record<string, unknown> = { ...defined, version: version + 1 };
        if ('updatedAt' in getTableColumns(this.table)) set.updatedAt = this.platform.clock.now();
        const [after] = (await tx
          .update(this.table)
          // biome-ignore lint/suspicious/noExplicitAny: see get().
          .set(set as any)
          .where(eq(this.table.id, id))
          .returning()) as unknown as Row<T>[];
        await this.platform.events.append(tx, {
          type: `${this.entityType}.updated` as const,
          entityType: this.entityType,
          entityId: id,
          actor,
          changes,
        });
        return after as Row<T>;
      }),
    );
  }

  /** Deletes a record nothing refers to; one still referenced is a 409 `resource.in_use`. */
  async remove(id: string, actor: EventActor, scope: SQL): Promise<void> {
    await this.get(id, scope);
    try {
      await this.platform.transaction(async (tx) => {
        await tx.delete(this.table).where(eq(this.table.id, id));
        await this.platform.events.append(tx, {
          type: `${this.entityType}.deleted` as const,
          entityType: this.entityType,
          entityId: id,
          actor,
        });
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new AppError(409, 'resource.in_use');
      throw error;
    }
  }
}

/** Case-insensitive "contains" over several text columns, for the `q` of list endpoints. */
export function searchText(q: string | undefined, ...columns: PgColumn[]): SQL | undefined {
  if (!q) return undefined;
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`(${sql.join(
    columns.map((c) => sql`${c} ilike ${like}`),
    sql` or `,
  )})`;
}
