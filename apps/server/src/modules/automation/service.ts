import type { ActionOutcome, AutomationRun, DryRunResult } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Executor, rows, type Tx } from '../../platform/db/client';
import { newId } from '../../platform/ids';
import type { Platform, Reaction, StoredEvent } from '../../platform/index';
import type { Job } from '../../platform/jobs/queue';
import { openTicketIdPages } from '../tickets/index';
import { type ActionRunner, describe, type PushedItems } from './actions';
import {
  type Cause,
  type CompiledRule,
  causeOf,
  compileRule,
  explain,
  type RuleDefinition,
  RuleIndex,
  type TriggerEvent,
} from './engine';
import { loadTicketFacts, situation } from './facts';
import { automationRuns } from './tables';
import { nextCronRun } from './validate';

export const SCHEDULE_QUEUE = 'automation.schedule';

const ENDED_STATES = ['resolved', 'awaiting_confirmation', 'closed', 'cancelled'];
/** A schedule tick reads the open tickets' facts this many at a time, oldest first. */
const SCHEDULE_PAGE = 500;

interface RuleRow {
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
  position: number;
  trigger: RuleDefinition['trigger'];
  conditions: RuleDefinition['conditions'];
  actions: RuleDefinition['actions'];
  stop_processing: boolean;
}

const definition = (r: RuleRow): RuleDefinition => ({
  id: r.id,
  name: r.name,
  description: r.description,
  enabled: r.enabled,
  position: r.position,
  trigger: r.trigger,
  conditions: r.conditions,
  actions: r.actions,
  stopProcessing: r.stop_processing,
});

/**
 * Runs the rules: the enabled rule set compiled once and re-read only when it changed (a stamp of
 * ids and versions, one small query per delivery batch), the event's ticket facts read once, each woken
 * rule tested in order and its actions carried out in the delivery's transaction, every woken rule
 * logged. Events written by actions carry the causal chain (`data.automation`), so a rule never
 * wakes itself again down its own chain and chains stop at `MAX_DEPTH`.
 */
export class Automation {
  private cached: { stamp: string; index: RuleIndex } | null = null;
  private pushed: PushedItems = [];

  constructor(
    private readonly platform: Platform,
    private readonly actions: ActionRunner,
    private readonly sent: (items: PushedItems) => void,
  ) {}

  /** The rule index checked once per delivery batch (its savepoint), not once per event. */
  private readonly checked = new WeakMap<Executor, Promise<RuleIndex>>();

  private batchIndex(tx: Tx): Promise<RuleIndex> {
    let index = this.checked.get(tx);
    if (!index) {
      index = this.index(tx);
      this.checked.set(tx, index);
    }
    return index;
  }

  async index(db: Executor): Promise<RuleIndex> {
    const [{ stamp }] = (await rows<{ stamp: string | null }>(
      db,
      sql`select coalesce(string_agg(id::text || ':' || version, ',' order by id), '') as stamp from automation_rules`,
    )) as [{ stamp: string }];
    if (this.cached?.stamp === stamp) return this.cached.index;
    const found = await rows<RuleRow>(db, sql`select * from automation_rules where enabled`);
    const index = new RuleIndex(found.map(definition));
    this.cached = { stamp, index };
    return index;
  }

  /** The rules' reaction to events (registered in reactions.ts). */
  reaction(): Reaction {
    return {
      handle: (event, tx) => this.handle(event, tx),
      afterCommit: () => {
        const items = this.pushed;
        this.pushed = [];
        this.sent(items);
      },
      rolledBack: () => {
        this.pushed = [];
      },
    };
  }

  async handle(event: StoredEvent, tx: Tx): Promise<void> {
    if (event.type.startsWith('automationRule.')) return this.reschedule(tx, event.entityId);
    const trigger: TriggerEvent = {
      type: event.type,
      data: event.data,
      changed: Object.keys(event.changes ?? {}).map((k) => `ticket.${k}`),
    };
    const cause = causeOf(event.data);
    const candidates = (await this.batchIndex(tx)).candidates(trigger, cause);
    if (candidates.length === 0) return;
    const ticketId = event.entityType === 'ticket' ? event.entityId : null;
    await this.runRules(tx, candidates, { event, subject: event, ticketId, cause });
  }

  /** Tests each candidate in order against fresh facts (an earlier rule's actions may have changed them). */
  private async runRules(
    tx: Tx,
    candidates: CompiledRule[],
    on: {
      event: Pick<StoredEvent, 'id' | 'type' | 'data' | 'changes'>;
      subject: Pick<StoredEvent, 'entityType' | 'entityId' | 'data'>;
      ticketId: string | null;
      cause: Cause;
    },
  ) {
    const load = async () =>
      on.ticketId ? (await loadTicketFacts(tx, [on.ticketId], this.platform.clock.now())).get(on.ticketId) : undefined;
    let facts = await load();
    for (const c of candidates) {
      const started = performance.now();
      const s = situation(facts, on.event);
      const matched = c.test(s);
      let outcomes: ActionOutcome[] = [];
      // Without a ticket (a reorder alert, a spike) a matched rule still sends its messages.
      if (matched) {
        const result = await this.actions.run(
          {
            tx,
            ticketId: on.ticketId,
            subject: on.subject,
            rule: c.rule,
            facts: s.facts,
            cause: { ruleIds: [...on.cause.ruleIds, c.rule.id], depth: on.cause.depth + 1 },
          },
          c.rule.actions,
        );
        outcomes = result.outcomes;
        this.pushed.push(...result.pushed);
        facts = await load();
      }
      await this.log(tx, {
        ruleId: c.rule.id,
        eventId: on.event.id,
        eventType: on.event.type,
        ticketId: on.ticketId,
        matched,
        trace: explain(c.rule.conditions, s),
        actions: outcomes,
        error: outcomes.find((o) => o.status === 'failed')?.error ?? null,
        depth: on.cause.depth,
        durationMs: performance.now() - started,
      });
      if (matched && c.rule.stopProcessing) break;
    }
  }

  private async log(tx: Tx, run: Omit<typeof automationRuns.$inferInsert, 'id' | 'occurredAt'>) {
    const now = this.platform.clock.now();
    await tx.insert(automationRuns).values({ ...run, id: newId(now.getTime()), occurredAt: now });
  }

  /** "Test against ticket X": the conditions node by node and the actions it would take; writes nothing. */
  async dryRun(rule: RuleDefinition, ticketId: string): Promise<z.infer<typeof DryRunResult> | null> {
    const facts = (await loadTicketFacts(this.platform.db, [ticketId], this.platform.clock.now())).get(ticketId);
    if (!facts) return null;
    const s = situation(facts, { type: rule.trigger.type, data: {} });
    const matched = compileRule(rule).test(s);
    return {
      matched,
      trace: explain(rule.conditions, s),
      actions: rule.actions.map((a) => ({
        type: a.type,
        status: matched ? ('planned' as const) : ('skipped' as const),
        summary: describe(a),
      })),
    };
  }

  // ---- schedules ------------------------------------------------------------------------------

  /** A scheduled rule's next tick, queued once per rule and time (safe to repeat on every start). */
  async reschedule(tx: Executor, ruleId: string): Promise<void> {
    const [rule] = await rows<RuleRow>(tx, sql`select * from automation_rules where id = ${ruleId}`);
    if (!rule?.enabled || rule.trigger.type !== 'schedule') return;
    const next = nextCronRun(rule.trigger.cron, this.platform.clock.now());
    if (!next) return;
    await this.platform.jobs.enqueue(tx, {
      queue: SCHEDULE_QUEUE,
      payload: { ruleId, cron: rule.trigger.cron, at: next.toISOString() },
      runAt: next,
      dedupeKey: `${ruleId}@${next.toISOString()}`,
    });
  }

  async scheduleAll(): Promise<void> {
    await this.platform.transaction(async (tx) => {
      const scheduled = await rows<{ id: string }>(
        tx,
        sql`select id from automation_rules where enabled and trigger ->> 'type' = 'schedule'`,
      );
      for (const r of scheduled) await this.reschedule(tx, r.id);
    });
  }

  /**
   * One tick of a scheduled rule: its conditions over every open ticket (oldest first, read page
   * by page on the key (reported_at, id) so a backlog of any size is covered without holding it in
   * memory), its actions on each match, then the next tick. Tickets the tick's own actions create
   * sort after the last one open when it began and are left for the next tick. A tick whose rule
   * was disabled or whose cron changed does nothing (the change queued its own).
   */
  readonly tick = async (job: Job, tx: Tx): Promise<void> => {
    const ruleId = String(job.payload.ruleId);
    if (!/^[0-9a-f-]{36}$/i.test(ruleId)) return;
    const [row] = await rows<RuleRow>(tx, sql`select * from automation_rules where id = ${ruleId} for update`);
    if (!row?.enabled || row.trigger.type !== 'schedule' || row.trigger.cron !== job.payload.cron) return;
    const compiled = compileRule(definition(row));
    const event = { id: null as unknown as string, type: 'schedule', data: { at: job.payload.at }, changes: {} };
    for await (const ids of openTicketIdPages(tx, ENDED_STATES, SCHEDULE_PAGE)) {
      const page = await loadTicketFacts(tx, ids, this.platform.clock.now());
      for (const ticketId of ids) {
        const facts = page.get(ticketId);
        if (!facts || !compiled.test(situation(facts, event))) continue;
        await this.runRules(tx, [compiled], {
          event,
          subject: { entityType: 'ticket', entityId: ticketId, data: event.data },
          ticketId,
          cause: { ruleIds: [], depth: 0 },
        });
      }
    }
    await this.reschedule(tx, ruleId);
  };

  async runs(ruleId: string, page: number, pageSize: number, matched?: boolean) {
    const where = sql`rule_id = ${ruleId} ${matched === undefined ? sql`` : sql`and matched = ${matched}`}`;
    const [items, [total]] = await Promise.all([
      rows<Record<string, unknown>>(
        this.platform.db,
        sql`select * from automation_runs where ${where} order by occurred_at desc, id desc
            limit ${pageSize} offset ${(page - 1) * pageSize}`,
      ),
      rows<{ n: number }>(this.platform.db, sql`select count(*)::int as n from automation_runs where ${where}`),
    ]);
    return {
      items: items.map(
        (r): AutomationRun => ({
          id: String(r.id),
          ruleId: String(r.rule_id),
          eventId: (r.event_id as string | null) ?? null,
          eventType: String(r.event_type),
          ticketId: (r.ticket_id as string | null) ?? null,
          matched: Boolean(r.matched),
          trace: (r.trace as AutomationRun['trace']) ?? null,
          actions: r.actions as ActionOutcome[],
          error: (r.error as string | null) ?? null,
          depth: Number(r.depth),
          durationMs: Number(r.duration_ms),
          occurredAt: new Date(r.occurred_at as string).toISOString(),
        }),
      ),
      total: total!.n,
      page,
      pageSize,
    };
  }
}
