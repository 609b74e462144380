import type { CreateTicket, Ticket } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import { type Executor, PreparedStatement, rowAsJson } from '../../platform/db/client';
import type { Actor } from '../../platform/http/actor';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { eventActor } from '../identity/index';
import { likelyDuplicates, nextNumber, repeatOf, resolveReport } from './intake';
import { type TicketRow, view } from './presenter';
import { tickets } from './tables';

/** Reports becoming tickets: what a report implies, read first; then one statement that writes it. */
export class TicketIntake {
  constructor(private readonly platform: Platform) {}

  /**
   * Works out what a report implies (device, customer, category, repeat, likely duplicates) and
   * checks the caller may report for that customer. Only reads, all before the write — which may
   * run in a transaction holding the only PGlite connection.
   */
  async prepare(
    input: CreateTicket,
    actor: Actor,
    customerScope: (customerId: string) => Promise<void>,
    db: Executor = this.platform.db,
  ) {
    const { clock } = this.platform;
    const now = clock.now();
    // A customer contact always reports for its own organisation.
    const report = actor.roles.includes('customer')
      ? { ...input, customerId: actor.customerId, channel: 'portal' as const }
      : input;
    const resolved = await resolveReport(db, report, now);
    if (resolved.customerId) await customerScope(resolved.customerId);
    const repeat = await repeatOf(db, resolved.deviceId, resolved.categoryId, now);
    const possibleDuplicates = await likelyDuplicates(db, resolved, report.description, now);
    return { report, resolved, repeat, possibleDuplicates };
  }

  /**
   * Writes a prepared report: the ticket, its number and its `ticket.created` event in one
   * statement, so it is atomic on its own and costs one round trip.
   */
  async create(
    db: Executor,
    prepared: Awaited<ReturnType<TicketIntake['prepare']>>,
    actor: Actor,
    /** Extra data on the `ticket.created` event (automation's causal chain). */
    data: Record<string, unknown> = {},
  ) {
    const { report, resolved, repeat, possibleDuplicates } = prepared;
    const { customerName, ...implied } = resolved;
    const now = this.platform.clock.now();
    const row: TicketRow = {
      id: newId(now.getTime()),
      number: '',
      version: 1,
      type: report.type,
      channel: report.channel,
      state: 'new',
      suspendedFrom: null,
      priority: null,
      severity: report.severity,
      serviceType: report.serviceType,
      contactName: report.contactName,
      contactPhone: report.contactPhone ?? null,
      contactEmail: report.contactEmail ?? null,
      serviceAddress: report.serviceAddress ?? null,
      orderNumber: report.orderNumber ?? null,
      faultAt: report.faultAt ? new Date(report.faultAt) : null,
      title: report.title,
      description: report.description,
      initialDiagnosis: report.initialDiagnosis ?? null,
      reporterId: actor.kind === 'system' ? null : actor.userId,
      reporterName: report.reporterName ?? null,
      reportedAt: now,
      ...implied,
      assigneeId: null,
      teamId: null,
      responseDueAt: null,
      resolutionDueAt: null,
      slaDueAt: null,
      firstRespondedAt: null,
      resolvedAt: null,
      closedAt: null,
      cancelledAt: null,
      resolution: null,
      confirmation: null,
      csat: null,
      repeatOf: repeat,
      isRepeat: repeat !== null,
      reopenCount: 0,
      fields: report.fields,
      importedVisits: null,
      // Filled in by the statement: the type's active workflow version and its initial stage.
      workflowVersionId: '',
      stage: '',
      createdAt: now,
      updatedAt: now,
    };
    const event = this.platform.events.record({
      type: 'ticket.created',
      entityType: 'ticket',
      entityId: row.id,
      actor: eventActor(actor),
      visibility: 'customer',
      data: { ...data, channel: row.channel, version: 1, repeatOf: repeat, unknownDevice: row.unknownDevice },
    });
    const [created] = await (await this.createStatement(db, now)).rows(db, {
      ticket: rowAsJson(tickets, row),
      type: row.type,
      event: event.json,
    });
    row.number = created!.number;
    row.workflowVersionId = created!.workflow_version_id;
    row.stage = created!.stage;
    return { ticket: view(row, customerName) as unknown as Ticket, possibleDuplicates };
  }

  private readonly createStatements = new Map<
    string,
    PreparedStatement<{ number: string; workflow_version_id: string; stage: string }>
  >();

  /**
   * The create as one prepared statement: the ticket (one jsonb value), its number drawn from the
   * year's sequence, the active workflow version of its type with that version's initial stage
   * (read inside the statement, so a just-activated version applies on every replica at once), and
   * its `ticket.created` event carrying that number. One per year and set of subscribers, since
   * both are part of its text.
   */
  private async createStatement(db: Executor, now: Date) {
    const number = await nextNumber(db, now);
    const subscribers = this.platform.subscribers.namesFor('ticket.created');
    const key = `${number.sequence}:${subscribers.join(',')}`;
    let statement = this.createStatements.get(key);
    if (!statement) {
      const writes = this.platform.events.writes(
        'ticket.created',
        sql`${sql.placeholder('event')}::jsonb`,
        sql`jsonb_build_object('number', (select number from created))`,
      );
      statement = new PreparedStatement(
        `ticket_create_${this.createStatements.size + 1}_${number.sequence}`,
        sql`with workflow as (
              select id, definition ->> 'initial' as initial from workflow_versions
              where ticket_type = ${sql.placeholder('type')}::text and status = 'active'),
            created as (
              insert into tickets
              select * from jsonb_populate_record(null::tickets, ${sql.placeholder('ticket')}::jsonb || jsonb_build_object(
                'number', ${number.expression},
                'workflow_version_id', (select id from workflow),
                'stage', (select initial from workflow)))
              returning number, workflow_version_id, stage),
            ${writes}
            select number, workflow_version_id, stage from created`,
      );
      this.createStatements.set(key, statement);
    }
    return statement;
  }
}
