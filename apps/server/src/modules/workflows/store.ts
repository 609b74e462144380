import {
  type TicketType,
  type WorkflowDefinition,
  type WorkflowProblem,
  type WorkflowVersion,
  workflowProblems,
} from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db/client';
import type { Actor } from '../../platform/http/actor';
import { AppError, notFound } from '../../platform/http/errors';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import type { FormsModule } from '../forms/index';
import { eventActor } from '../identity/index';

interface VersionRow {
  id: string;
  ticket_type: TicketType;
  version: number;
  status: 'draft' | 'active' | 'retired';
  definition: WorkflowDefinition;
  revision: number;
  created_by: string | null;
  created_at: Date | string;
  activated_at: Date | string | null;
  ticket_count?: number | string;
}

export interface UsedVersion {
  id: string;
  ticketType: TicketType;
  version: number;
  definition: WorkflowDefinition;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/**
 * Ticket types and their workflow versions. Active and retired versions never change, so the
 * definitions tickets run on are cached by id for good; only drafts are edited, and a ticket never
 * points at a draft.
 */
export class WorkflowStore {
  private readonly fixed = new Map<string, UsedVersion>();

  constructor(
    private readonly platform: Platform,
    private readonly forms: Pick<FormsModule, 'fieldKeys'>,
  ) {}

  /** The definition a ticket runs on (its own version, never a draft). */
  async used(db: Executor, id: string): Promise<UsedVersion> {
    const cached = this.fixed.get(id);
    if (cached) return cached;
    const [row] = await rows<VersionRow>(db, sql`select * from workflow_versions where id = ${id}`);
    if (!row) throw notFound('workflow');
    const used = { id: row.id, ticketType: row.ticket_type, version: row.version, definition: row.definition };
    if (row.status !== 'draft') this.fixed.set(id, used);
    return used;
  }

  async types(db: Executor) {
    const list = await rows<{
      key: TicketType;
      name_zh: string;
      name_en: string;
      active_id: string | null;
      active_version: number | null;
      draft_id: string | null;
      draft_version: number | null;
    }>(
      db,
      sql`select t.key, t.name_zh, t.name_en, a.id as active_id, a.version as active_version,
                 d.id as draft_id, d.version as draft_version
          from ticket_types t
          left join workflow_versions a on a.ticket_type = t.key and a.status = 'active'
          left join workflow_versions d on d.ticket_type = t.key and d.status = 'draft'
          order by array_position(array['repair','installation','inspection','consultation','maintenance'], t.key)`,
    );
    return list.map((r) => ({
      key: r.key,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      activeVersion: r.active_id ? { id: r.active_id, version: r.active_version! } : null,
      draft: r.draft_id ? { id: r.draft_id, version: r.draft_version! } : null,
    }));
  }

  async versions(db: Executor, type: TicketType) {
    const list = await rows<VersionRow>(
      db,
      sql`select v.*, (select count(*) from tickets t where t.workflow_version_id = v.id) as ticket_count
          from workflow_versions v where v.ticket_type = ${type} order by v.version desc`,
    );
    return list.map((r) => ({ ...this.summary(r), ticketCount: Number(r.ticket_count ?? 0) }));
  }

  /** A version with the problems that would keep it from being activated. */
  async version(
    db: Executor,
    id: string,
  ): Promise<Omit<WorkflowVersion, 'problems'> & { problems: WorkflowProblem[] }> {
    const [row] = await rows<VersionRow>(db, sql`select * from workflow_versions where id = ${id}`);
    if (!row) throw notFound('workflow');
    return { ...this.summary(row), definition: row.definition, problems: await this.problems(db, row) };
  }

  async createDraft(type: TicketType, definition: WorkflowDefinition | undefined, actor: Actor) {
    const id = newId();
    await this.platform.transaction(async (tx) => {
      const [active] = await rows<VersionRow>(
        tx,
        sql`select * from workflow_versions where ticket_type = ${type} and status = 'active'`,
      );
      const [draft] = await rows<{ id: string }>(
        tx,
        sql`select id from workflow_versions where ticket_type = ${type} and status = 'draft'`,
      );
      if (draft) throw new AppError(409, 'workflow.draft_exists', {}, { draftId: draft.id });
      const [{ next } = { next: 1 }] = await rows<{ next: number }>(
        tx,
        sql`select coalesce(max(version), 0) + 1 as next from workflow_versions where ticket_type = ${type}`,
      );
      const start = definition ?? active?.definition;
      if (!start) throw notFound('workflow');
      await tx.execute(sql`
        insert into workflow_versions (id, ticket_type, version, status, definition, created_by, created_at)
        values (${id}, ${type}, ${next}, 'draft', ${JSON.stringify(start)}::jsonb, ${actor.userId},
                ${this.platform.clock.now().toISOString()})`);
      await this.platform.events.append(tx, {
        type: 'workflow.draft_created',
        entityType: 'workflow',
        entityId: id,
        actor: eventActor(actor),
        data: { ticketType: type, version: next },
      });
    });
    return this.version(this.platform.db, id);
  }

  async saveDraft(id: string, revision: number, definition: WorkflowDefinition, actor: Actor) {
    await this.platform.transaction(async (tx) => {
      const row = await this.lockedDraft(tx, id, revision);
      await tx.execute(sql`
        update workflow_versions set definition = ${JSON.stringify(definition)}::jsonb, revision = revision + 1
        where id = ${id}`);
      await this.platform.events.append(tx, {
        type: 'workflow.draft_saved',
        entityType: 'workflow',
        entityId: id,
        actor: eventActor(actor),
        data: { ticketType: row.ticket_type, version: row.version, revision: revision + 1 },
      });
    });
    return this.version(this.platform.db, id);
  }

  /**
   * Makes a draft the type's active version, refusing one with problems (422, field by field).
   * The previous active version retires: its running tickets keep it, new tickets take this one.
   */
  async activate(id: string, revision: number, actor: Actor) {
    await this.platform.transaction(async (tx) => {
      const row = await this.lockedDraft(tx, id, revision);
      // Serialises activations of one type: the active row is locked before it retires.
      await tx.execute(
        sql`select id from workflow_versions where ticket_type = ${row.ticket_type} and status = 'active' for update`,
      );
      const problems = await this.problems(tx, row);
      if (problems.length > 0)
        throw new AppError(
          422,
          'workflow.invalid',
          { count: problems.length },
          problems.map((p) => ({ path: p.path, code: p.code, message: p.code, ...p.params })),
        );
      const now = this.platform.clock.now().toISOString();
      await tx.execute(
        sql`update workflow_versions set status = 'retired' where ticket_type = ${row.ticket_type} and status = 'active'`,
      );
      await tx.execute(sql`update workflow_versions set status = 'active', activated_at = ${now} where id = ${id}`);
      await this.platform.events.append(tx, {
        type: 'workflow.activated',
        entityType: 'workflow',
        entityId: id,
        actor: eventActor(actor),
        data: { ticketType: row.ticket_type, version: row.version },
      });
    });
    return this.version(this.platform.db, id);
  }

  async discardDraft(id: string, revision: number, actor: Actor) {
    await this.platform.transaction(async (tx) => {
      const row = await this.lockedDraft(tx, id, revision);
      await tx.execute(sql`delete from workflow_versions where id = ${id}`);
      await this.platform.events.append(tx, {
        type: 'workflow.draft_discarded',
        entityType: 'workflow',
        entityId: id,
        actor: eventActor(actor),
        data: { ticketType: row.ticket_type, version: row.version },
      });
    });
  }

  private async lockedDraft(tx: Executor, id: string, revision: number) {
    const [row] = await rows<VersionRow>(tx, sql`select * from workflow_versions where id = ${id} for update`);
    if (!row) throw notFound('workflow');
    if (row.status !== 'draft') throw new AppError(409, 'workflow.not_a_draft', { status: row.status });
    if (row.revision !== revision)
      throw new AppError(409, 'resource.stale_version', { current: row.revision }, { currentVersion: row.revision });
    return row;
  }

  private async problems(db: Executor, row: VersionRow) {
    return workflowProblems(row.definition, await this.forms.fieldKeys(db, row.ticket_type));
  }

  private summary(r: VersionRow) {
    return {
      id: r.id,
      ticketType: r.ticket_type,
      version: r.version,
      status: r.status,
      revision: r.revision,
      createdBy: r.created_by,
      createdAt: iso(r.created_at)!,
      activatedAt: iso(r.activated_at),
    };
  }
}
