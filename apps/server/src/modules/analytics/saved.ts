import { ErrorCode } from '@serviceloop/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows, textArray } from '../../platform/db/client';
import type { Actor } from '../../platform/http/actor';
import { AppError, forbidden, notFound } from '../../platform/http/errors';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { eventActor } from '../identity/index';

interface Row {
  id: string;
  name: string;
  owner_id: string;
  shared_roles: string[];
  version: number;
  payload: unknown;
}

/**
 * Saved reports and dashboards: owned by their author, visible to the roles they are shared
 * with, changed only by the author (or an administrator), versioned like every other record.
 */
/** The events of each kind of saved view, spelled out so a search for one finds its emitter. */
const EVENTS = {
  report: { saved: 'analytics.report_saved', deleted: 'analytics.report_deleted' },
  dashboard: { saved: 'analytics.dashboard_saved', deleted: 'analytics.dashboard_deleted' },
} as const;

export class SavedStore<T> {
  constructor(
    private readonly platform: Platform,
    /** `saved_reports` with its `definition`, or `dashboards` with its `layout`. */
    private readonly table: 'saved_reports' | 'dashboards',
    private readonly payload: 'definition' | 'layout',
    private readonly entity: 'report' | 'dashboard',
  ) {}

  private visible(actor: Actor): SQL {
    return sql`(owner_id = ${actor.userId} or shared_roles && ${textArray(actor.roles)}::text[])`;
  }

  private present(r: Row) {
    return {
      id: r.id,
      name: r.name,
      ownerId: r.owner_id,
      sharedRoles: r.shared_roles,
      version: r.version,
      [this.payload]: r.payload as T,
    };
  }

  private select(db: Executor, where: SQL, lock = false) {
    return rows<Row>(
      db,
      sql`select id, name, owner_id, shared_roles, version, ${sql.raw(this.payload)} as payload
          from ${sql.raw(this.table)} where ${where} order by name, id ${lock ? sql`for update` : sql``}`,
    );
  }

  async list(actor: Actor) {
    return (await this.select(this.platform.db, this.visible(actor))).map((r) => this.present(r));
  }

  async get(id: string, actor: Actor) {
    const [row] = await this.select(this.platform.db, sql`id = ${id} and ${this.visible(actor)}`);
    if (!row) throw notFound(this.entity);
    return this.present(row);
  }

  async create(actor: Actor, input: { name: string; sharedRoles: string[] } & Record<string, unknown>) {
    const now = this.platform.clock.now().toISOString();
    const id = newId();
    await this.platform.transaction(async (tx) => {
      await tx.execute(sql`
        insert into ${sql.raw(this.table)} (id, name, owner_id, ${sql.raw(this.payload)}, shared_roles, created_at, updated_at)
        values (${id}, ${input.name}, ${actor.userId}, ${JSON.stringify(input[this.payload])}::jsonb,
                ${textArray(input.sharedRoles)}, ${now}, ${now})`);
      await this.platform.events.append(tx, {
        type: EVENTS[this.entity].saved,
        entityType: this.entity,
        entityId: id,
        actor: eventActor(actor),
        data: { name: input.name },
      });
    });
    return this.get(id, actor);
  }

  async update(id: string, actor: Actor, input: { version: number } & Record<string, unknown>) {
    await this.platform.transaction(async (tx) => {
      const [row] = await this.select(tx, sql`id = ${id} and ${this.visible(actor)}`, true);
      if (!row) throw notFound(this.entity);
      if (row.owner_id !== actor.userId && !actor.roles.includes('admin')) throw forbidden();
      if (row.version !== input.version)
        throw new AppError(409, ErrorCode.staleVersion, {}, { currentVersion: row.version });
      await tx.execute(sql`
        update ${sql.raw(this.table)} set
          name = coalesce(${(input.name as string | undefined) ?? null}, name),
          ${sql.raw(this.payload)} = coalesce(${input[this.payload] === undefined ? null : JSON.stringify(input[this.payload])}::jsonb, ${sql.raw(this.payload)}),
          shared_roles = coalesce(${input.sharedRoles === undefined ? null : textArray(input.sharedRoles as string[])}, shared_roles),
          version = version + 1, updated_at = ${this.platform.clock.now().toISOString()}
        where id = ${id}`);
      await this.platform.events.append(tx, {
        type: EVENTS[this.entity].saved,
        entityType: this.entity,
        entityId: id,
        actor: eventActor(actor),
        data: { version: row.version + 1 },
      });
    });
    return this.get(id, actor);
  }

  async remove(id: string, actor: Actor) {
    await this.platform.transaction(async (tx) => {
      const [row] = await this.select(tx, sql`id = ${id} and ${this.visible(actor)}`, true);
      if (!row) throw notFound(this.entity);
      if (row.owner_id !== actor.userId && !actor.roles.includes('admin')) throw forbidden();
      await tx.execute(sql`delete from ${sql.raw(this.table)} where id = ${id}`);
      await this.platform.events.append(tx, {
        type: EVENTS[this.entity].deleted,
        entityType: this.entity,
        entityId: id,
        actor: eventActor(actor),
      });
    });
  }
}
