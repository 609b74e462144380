import { type ActionOutcome, CreateTicket, Priority, type RuleAction } from '@serviceloop/contracts';
import type { Tx } from '../../platform/db/client';
import { SYSTEM_ACTOR } from '../../platform/events/event-log';
import { type Actor, systemActor } from '../../platform/http/actor';
import { AppError } from '../../platform/http/errors';
import type { Platform, StoredEvent } from '../../platform/index';
import type { NotificationsModule } from '../notifications/index';
import { findTicket, type TicketService } from '../tickets/index';
import { pickEngineer } from './assignment';
import type { Cause, Facts, RuleDefinition } from './engine';

/** Who the rules act as: the server itself, allowed every staff step, on no user's behalf. */
export const AUTOMATION_ACTOR: Actor = systemActor('automation', ['admin']);

export type PushedItems = Awaited<ReturnType<NotificationsModule['messages']['send']>>;

/** `{{ticket.number}}`-style (or `{{ticketNumber}}` for notifications) placeholders over the facts. */
export function fill(text: string, facts: Facts): string {
  return text.replace(/\{\{\s*([a-zA-Z][\w.]*)\s*\}\}/g, (m, name: string) => {
    const value = facts[name.includes('.') ? name : `ticket.${name}`];
    if (value === undefined) return m; // left for the notifications template (e.g. {{link}})
    return value === null ? '' : Array.isArray(value) ? String(value[0] ?? '') : String(value);
  });
}

/** One step more urgent, or the named priority if that is more urgent; never less urgent. */
export function raised(current: Priority | null, to: Priority | 'one_step'): Priority | null {
  const order = Priority.options;
  const target: Priority = to === 'one_step' ? (current ? order[Math.max(0, order.indexOf(current) - 1)]! : 'P1') : to;
  if (current && order.indexOf(target) >= order.indexOf(current)) return null;
  return target;
}

export interface ActionRun {
  tx: Tx;
  /** Null for a trigger about no ticket (a reorder alert, a spike): only messages can be sent. */
  ticketId: string | null;
  /** What the messages of a ticketless run belong to: the triggering event's entity and data. */
  subject: Pick<StoredEvent, 'entityType' | 'entityId' | 'data'>;
  rule: RuleDefinition;
  facts: Facts;
  /** The chain the writes of this run carry: the causing rules plus this one, one level deeper. */
  cause: Cause;
}

/**
 * Carries out a matched rule's actions through the owning modules' services — the tickets
 * service for every ticket change (so events, SLA clocks and analytics follow), notifications for
 * every message and webhook — inside the event delivery's transaction. Each action runs in a
 * savepoint: one that fails is logged as failed and the others still run.
 */
export class ActionRunner {
  constructor(
    private readonly platform: Platform,
    private readonly tickets: TicketService,
    private readonly messages: NotificationsModule['messages'],
  ) {}

  async run(run: ActionRun, actions: RuleAction[]): Promise<{ outcomes: ActionOutcome[]; pushed: PushedItems }> {
    const outcomes: ActionOutcome[] = [];
    const pushed: PushedItems = [];
    for (const action of actions) {
      try {
        outcomes.push(await run.tx.transaction((sp) => this.one({ ...run, tx: sp }, action, pushed)));
      } catch (error) {
        outcomes.push({ type: action.type, status: 'failed', summary: describe(action), error: reason(error) });
      }
    }
    return { outcomes, pushed };
  }

  private async one(run: ActionRun, action: RuleAction, pushed: PushedItems): Promise<ActionOutcome> {
    const { tx } = run;
    const data = { automation: { ruleIds: run.cause.ruleIds, depth: run.cause.depth, ruleId: run.rule.id } };
    const done = (summary: string, target?: string): ActionOutcome => ({
      type: action.type,
      status: 'done',
      summary,
      ...(target ? { target } : {}),
    });
    const skipped = (summary: string): ActionOutcome => ({ type: action.type, status: 'skipped', summary });
    if (run.ticketId === null) {
      if (action.type !== 'notify' && action.type !== 'webhook') return skipped('no ticket: only messages');
      return done(await this.message(run, action, data, pushed));
    }
    const ticketId = run.ticketId;
    const because = `自动化规则 / Rule: ${run.rule.name}`.slice(0, 500);
    switch (action.type) {
      case 'set_priority': {
        const after = await this.tickets.update(tx, ticketId, { priority: action.priority }, AUTOMATION_ACTOR, data);
        return after ? done(`priority → ${action.priority}`) : skipped(`priority already ${action.priority}`);
      }
      case 'set_field': {
        const after = await this.tickets.update(
          tx,
          ticketId,
          { fields: { [action.field]: action.value } },
          AUTOMATION_ACTOR,
          data,
        );
        return after ? done(`${action.field} → ${String(action.value)}`) : skipped(`${action.field} unchanged`);
      }
      case 'assign': {
        let userId = action.userId;
        if (!userId && action.strategy) {
          userId =
            (await pickEngineer(tx, action.strategy, ticketId, { teamId: action.teamId, ruleId: run.rule.id })) ??
            undefined;
          if (!userId && !action.teamId) return skipped(`${action.strategy}: no engineer qualifies`);
        }
        await this.tickets.stepIn(
          tx,
          ticketId,
          {
            command: { action: 'transfer', toUserId: userId ?? null, toTeamId: action.teamId ?? null, reason: because },
          },
          AUTOMATION_ACTOR,
          { canUpdate: true, data },
        );
        return done(
          [action.teamId ? `team ${action.teamId}` : '', userId ? `user ${userId}` : ''].filter(Boolean).join(', '),
          userId,
        );
      }
      case 'comment': {
        await this.tickets.stepIn(
          tx,
          ticketId,
          { command: { action: 'comment', body: fill(action.body, run.facts), visibility: action.visibility } },
          AUTOMATION_ACTOR,
          { canUpdate: true, data },
        );
        return done(`comment (${action.visibility})`);
      }
      case 'notify':
      case 'webhook':
        return done(await this.message(run, action, data, pushed));
      case 'escalate': {
        const row = await findTicket(tx, ticketId);
        const to = raised((row?.priority as Priority | null) ?? null, action.raiseTo);
        if (to) await this.tickets.update(tx, ticketId, { priority: to }, AUTOMATION_ACTOR, data);
        return done(`${to ? `priority → ${to}; ` : ''}${await this.message(run, action, data, pushed)}`);
      }
      case 'create_ticket': {
        const source = await findTicket(tx, ticketId);
        if (!source) return skipped('ticket gone');
        const input = CreateTicket.parse({
          channel: source.channel,
          customerId: source.customerId,
          contactName: source.contactName,
          contactPhone: source.contactPhone,
          contactEmail: source.contactEmail,
          siteId: source.siteId,
          serviceAddress: source.serviceAddress,
          deviceId: source.deviceId,
          productModelId: source.deviceId ? null : source.productModelId,
          title: fill(action.title, run.facts),
          description: fill(action.description, run.facts),
          severity: source.severity,
          serviceType: source.serviceType,
          categoryId: source.categoryId,
        });
        const prepared = await this.tickets.prepare(input, AUTOMATION_ACTOR, async () => {}, tx);
        const created = await this.tickets.create(tx, prepared, AUTOMATION_ACTOR, data);
        await this.tickets.linkIn(tx, ticketId, created.ticket.id, 'follow_up', AUTOMATION_ACTOR, data);
        return done(`${action.kind} ${created.ticket.number}`, created.ticket.id);
      }
    }
  }

  /** Sends a notify, webhook or escalate action's message; returns the outcome's summary. */
  private async message(
    run: ActionRun,
    action: Extract<RuleAction, { type: 'notify' | 'webhook' | 'escalate' }>,
    data: Record<string, unknown>,
    pushed: PushedItems,
  ): Promise<string> {
    const message =
      action.type === 'webhook'
        ? {
            recipients: [{ kind: 'endpoint' as const, endpointId: action.endpointId }],
            channels: [],
            title: run.rule.name,
            body: run.rule.name,
          }
        : {
            recipients: action.recipients,
            channels: action.channels,
            title: fill(action.title, run.facts),
            body: fill(action.body, run.facts),
          };
    const event = await this.messageEvent(run, action.type, data);
    pushed.push(...(await this.messages.send(run.tx, event, message)));
    return `${action.type} → ${message.recipients.map((r) => r.kind).join(', ')}`;
  }

  /**
   * The event a message belongs to (`automation.notified`, internal): the ticket's — the timeline
   * shows which rule sent what — or, without a ticket, the triggering event's entity with its data
   * (so the message can name the part or the spike). Deliveries are unique per event and recipient.
   */
  private async messageEvent(run: ActionRun, kind: string, data: Record<string, unknown>): Promise<StoredEvent> {
    const now = this.platform.clock.now();
    const subject = run.ticketId
      ? { entityType: 'ticket', entityId: run.ticketId, data: {} }
      : { entityType: run.subject.entityType, entityId: run.subject.entityId, data: run.subject.data };
    const event = {
      type: 'automation.notified' as const,
      entityType: subject.entityType,
      entityId: subject.entityId,
      actor: SYSTEM_ACTOR,
      visibility: 'internal' as const,
      changes: {},
      data: { ...subject.data, ...data, ruleName: run.rule.name, action: kind },
    };
    const id = await this.platform.events.append(run.tx, event);
    return { ...event, id, seq: 0, occurredAt: now, requestId: null };
  }
}

/** What an action would do, for the dry run and for a failure's log line. */
export function describe(action: RuleAction): string {
  switch (action.type) {
    case 'set_priority':
      return `priority → ${action.priority}`;
    case 'set_field':
      return `${action.field} → ${String(action.value)}`;
    case 'assign':
      return [
        action.teamId ? `team ${action.teamId}` : '',
        action.userId ? `user ${action.userId}` : '',
        action.strategy ?? '',
      ]
        .filter(Boolean)
        .join(', ');
    case 'notify':
      return `notify ${action.recipients.map((r) => r.kind).join(', ')} via ${action.channels.join(', ') || 'endpoint'}: ${action.title}`;
    case 'escalate':
      return `raise ${action.raiseTo}; notify ${action.recipients.map((r) => r.kind).join(', ')}: ${action.title}`;
    case 'comment':
      return `comment (${action.visibility}): ${action.body.slice(0, 80)}`;
    case 'create_ticket':
      return `${action.kind}: ${action.title}`;
    case 'webhook':
      return `webhook ${action.endpointId}`;
  }
}

function reason(error: unknown): string {
  if (error instanceof AppError) {
    // The details say which value was refused and why (`fields.urgency`: validation.field_choice).
    const details = error.details ? ` ${JSON.stringify(error.details)}` : '';
    return `${error.code} ${JSON.stringify(error.params ?? {})}${details}`.slice(0, 500);
  }
  return error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500);
}
