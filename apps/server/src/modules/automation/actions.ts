import { type ActionOutcome, CreateTicket, Priority, type RuleAction } from '@serviceloop/contracts';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client';
import { SYSTEM_ACTOR } from '../../platform/events/event-log';
import type { Actor } from '../../platform/http/actor';
import { AppError } from '../../platform/http/errors';
import type { Platform, StoredEvent } from '../../platform/index';
import type { NotificationsModule } from '../notifications/index';
import { type TicketService, tickets } from '../tickets/index';
import { pickEngineer } from './assignment';
import type { Cause, Facts, RuleDefinition } from './engine';

/** Who the rules act as: the server itself, allowed every staff step, on no user's behalf. */
export const AUTOMATION_ACTOR: Actor = {
  kind: 'system',
  userId: '',
  username: 'automation',
  roles: ['admin'],
  teamIds: [],
  regionCodes: [],
  customerId: null,
  sessionId: null,
  tokenId: null,
  tokenScopes: null,
  locale: 'zh-CN',
  passwordChangedAt: new Date(0),
};

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
  ticketId: string;
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
    const { tx, ticketId } = run;
    const data = { automation: { ruleIds: run.cause.ruleIds, depth: run.cause.depth, ruleId: run.rule.id } };
    const done = (summary: string, target?: string): ActionOutcome => ({
      type: action.type,
      status: 'done',
      summary,
      ...(target ? { target } : {}),
    });
    const skipped = (summary: string): ActionOutcome => ({ type: action.type, status: 'skipped', summary });
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
        await this.tickets.command(
          tx,
          ticketId,
          { action: 'transfer', toUserId: userId ?? null, toTeamId: action.teamId ?? null, reason: because },
          AUTOMATION_ACTOR,
          data,
        );
        return done(
          [action.teamId ? `team ${action.teamId}` : '', userId ? `user ${userId}` : ''].filter(Boolean).join(', '),
          userId,
        );
      }
      case 'comment': {
        await this.tickets.command(
          tx,
          ticketId,
          { action: 'comment', body: fill(action.body, run.facts), visibility: action.visibility },
          AUTOMATION_ACTOR,
          data,
        );
        return done(`comment (${action.visibility})`);
      }
      case 'notify':
      case 'webhook':
      case 'escalate': {
        let summary = '';
        if (action.type === 'escalate') {
          const [row] = await tx.select({ priority: tickets.priority }).from(tickets).where(eq(tickets.id, ticketId));
          const to = raised((row?.priority as Priority | null) ?? null, action.raiseTo);
          if (to) await this.tickets.update(tx, ticketId, { priority: to }, AUTOMATION_ACTOR, data);
          summary = to ? `priority → ${to}; ` : '';
        }
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
        const event = await this.messageEvent(tx, ticketId, action.type, run, data);
        pushed.push(...(await this.messages.send(tx, event, message)));
        return done(`${summary}${action.type} → ${message.recipients.map((r) => r.kind).join(', ')}`);
      }
      case 'create_ticket': {
        const [source] = await tx.select().from(tickets).where(eq(tickets.id, ticketId));
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

  /**
   * The ticket event a message belongs to (`automation.notified`, internal): the timeline shows
   * which rule sent what, and deliveries are unique per event and recipient.
   */
  private async messageEvent(
    tx: Tx,
    ticketId: string,
    kind: string,
    run: ActionRun,
    data: Record<string, unknown>,
  ): Promise<StoredEvent> {
    const now = this.platform.clock.now();
    const event = {
      type: 'automation.notified',
      entityType: 'ticket',
      entityId: ticketId,
      actor: SYSTEM_ACTOR,
      visibility: 'internal' as const,
      changes: {},
      data: { ...data, ruleName: run.rule.name, action: kind },
    };
    const id = await this.platform.events.append(tx, event);
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
