import { z } from 'zod';

/**
 * The event catalogue: every domain event the server writes, with the module that owns it, the
 * version of its payload and the payload's shape (the event's `data`; field-level before → after
 * travels separately in `changes`). An event name not listed here cannot be written, and a
 * subscriber cannot register for it: the server refuses both at start-up or in the first test that
 * tries. docs/architecture.md shows the generated table event → emitter → subscribers.
 *
 * Payloads are open objects: automation's causal chain (`automation`) and a workflow move
 * (`workflow`) ride on ticket events beside the fields listed. A new field is a minor change; a
 * renamed or removed one bumps `version`.
 */

export const EventOwner = z.enum([
  'identity',
  'customers',
  'assets',
  'forms',
  'workflows',
  'tickets',
  'analytics',
  'parts',
  'sla',
  'surveys',
  'portal',
  'field',
  'integrations',
  'notifications',
  'automation',
  'config',
]);
export type EventOwner = z.infer<typeof EventOwner>;

export interface EventEntry<P extends z.ZodType = z.ZodType> {
  /** The module that writes it (and the only one that may). */
  owner: EventOwner;
  /** Version of the payload's shape. */
  version: number;
  payload: P;
  /** One line: what happened, in the business's words. */
  summary: string;
}

const entry = <P extends z.ZodType>(owner: EventOwner, summary: string, payload: P, version = 1): EventEntry<P> => ({
  owner,
  version,
  payload,
  summary,
});

const open = <S extends z.ZodRawShape>(shape: S) => z.looseObject(shape);
/** Events whose story is in `changes` (a versioned record's fields) or in their entity alone. */
const none = open({});
const id = z.string();
const when = z.string();
const maybeText = z.string().nullable().optional();

/** Every event on a ticket that a command wrote carries the ticket's version after it. */
const onTicket = <S extends z.ZodRawShape>(shape: S) => open({ version: z.number().int().optional(), ...shape });
const clock = onTicket({
  kind: z.enum(['response', 'resolution']),
  dueAt: when,
  clockId: id.optional(),
  policyId: id.nullable().optional(),
  targetMinutes: z.number().optional(),
});
const requisition = onTicket({ requisitionId: id });
const stockMoved = open({
  partId: id,
  quantity: z.number(),
  movementIds: z.array(id),
  warehouseId: id.optional(),
});
const quote = onTicket({ quoteId: id, totalFen: z.number().optional() });
const savedView = open({ name: z.string().optional(), version: z.number().int().optional() });
const workflowVersion = open({ ticketType: z.string(), version: z.number().int() });

export const EVENT_CATALOGUE = {
  // ---- tickets: intake and the lifecycle (decide() in tickets/lifecycle.ts) ---------------------
  'ticket.created': entry(
    'tickets',
    'A report became a ticket (any channel).',
    onTicket({
      channel: z.string(),
      number: z.string().optional(),
      repeatOf: id.nullable(),
      unknownDevice: z.boolean(),
    }),
  ),
  'ticket.triaged': entry(
    'tickets',
    'Priority and category set; the SLA clocks start.',
    onTicket({ priority: z.string(), note: maybeText }),
  ),
  'ticket.remote_started': entry('tickets', 'Remote support began.', onTicket({ note: maybeText })),
  'ticket.remote_recorded': entry('tickets', 'A remote-support step was noted.', onTicket({ note: z.string() })),
  'ticket.dispatched': entry(
    'tickets',
    'An engineer was sent: a visit was planned.',
    onTicket({ visitId: id, engineerId: id, plannedStart: when, plannedEnd: when, note: maybeText }),
  ),
  'ticket.accepted': entry('tickets', 'The engineer accepted the visit.', onTicket({ visitId: id })),
  'ticket.declined': entry(
    'tickets',
    'The engineer declined the visit; back to dispatch.',
    onTicket({ visitId: id, reason: z.string() }),
  ),
  'ticket.checked_in': entry('tickets', 'The engineer arrived on site.', onTicket({ visitId: id, at: when })),
  'ticket.checked_out': entry(
    'tickets',
    'The engineer left the site.',
    onTicket({ visitId: id, at: when, note: maybeText }),
  ),
  'ticket.resolved': entry('tickets', 'The fault was fixed.', onTicket({ rootCause: z.string() })),
  'ticket.confirmation_requested': entry('tickets', "The customer's signature was asked for.", onTicket({})),
  'ticket.confirmed': entry(
    'tickets',
    'The customer signed the service confirmation (a ticket.closed follows when it closes the ticket).',
    onTicket({ csat: z.number(), comment: maybeText, closed: z.boolean() }),
  ),
  'ticket.closed': entry(
    'tickets',
    "The ticket closed: by the customer's confirmation, or by a manager (with an override reason when unverified).",
    onTicket({
      via: z.enum(['confirmation', 'close']).optional(),
      override: z.boolean(),
      overrideReason: maybeText,
    }),
  ),
  'ticket.suspended': entry(
    'tickets',
    'Work paused (SLA clocks pause).',
    onTicket({ reason: z.string(), from: z.string() }),
  ),
  'ticket.resumed': entry('tickets', 'Work resumed.', onTicket({ to: z.string().nullable() })),
  'ticket.transferred': entry(
    'tickets',
    'Handed to another person or team.',
    onTicket({ from: id.nullable(), to: id.nullable(), team: id.nullable(), reason: z.string() }),
  ),
  'ticket.cancelled': entry('tickets', 'The request was withdrawn.', onTicket({ reason: z.string() })),
  'ticket.reopened': entry(
    'tickets',
    'A finished ticket was reopened (a repeat of its own fix).',
    onTicket({ reason: z.string(), from: z.string() }),
  ),
  'ticket.commented': entry('tickets', 'A comment (internal or for the customer).', onTicket({ body: z.string() })),
  'ticket.stage_changed': entry(
    'tickets',
    'A workflow transition without a lifecycle action moved the stage.',
    onTicket({ transition: z.string(), from: z.string(), to: z.string() }),
  ),
  'ticket.updated': entry('tickets', 'Priority or custom fields changed outside the lifecycle.', onTicket({})),
  'ticket.linked': entry('tickets', 'Two tickets were linked.', onTicket({ linkedTicketId: id, kind: z.string() })),
  'ticket.attachment_added': entry(
    'tickets',
    'A file was attached to the ticket.',
    open({ attachmentId: id, kind: z.string(), name: z.string() }),
  ),
  'fault_category.created': entry('tickets', 'A fault category was added.', open({ code: z.string() })),

  // ---- field service ------------------------------------------------------------------------------
  'ticket.assistants_set': entry(
    'field',
    'The engineers helping on a visit were named.',
    open({ visitId: id, assistantIds: z.array(id) }),
  ),
  'ticket.assistant_checked_in': entry(
    'field',
    'An assisting engineer arrived.',
    open({ visitId: id, engineerId: id, at: when }),
  ),
  'ticket.assistant_checked_out': entry(
    'field',
    'An assisting engineer left.',
    open({ visitId: id, engineerId: id, at: when }),
  ),
  'skill_requirement.set': entry(
    'field',
    'Skills a category or model needs were set.',
    open({ skills: z.array(z.unknown()) }),
  ),
  'geo_map.uploaded': entry('field', 'An admin uploaded a map.', open({ name: z.string() })),
  'geo_map.deleted': entry('field', 'A map was removed.', none),
  'engineer.created': entry('field', 'An engineer profile was created.', none),
  'engineer.updated': entry('field', 'An engineer profile changed.', none),
  'engineer.deleted': entry('field', 'An engineer profile was removed.', none),

  // ---- identity -----------------------------------------------------------------------------------
  'user.created': entry('identity', 'An account was created.', open({ roles: z.array(z.string()) })),
  'user.updated': entry('identity', 'An account changed (not its roles).', none),
  'user.permissions_changed': entry('identity', "An account's roles changed.", none),
  'user.password_changed': entry('identity', 'A password was changed.', none),
  'team.created': entry('identity', 'A team was created.', open({ name: z.string() })),
  'policy.changed': entry(
    'identity',
    'Role permissions were changed.',
    open({ added: z.array(z.string()), removed: z.array(z.string()) }),
  ),
  'settings.password_policy_changed': entry('identity', 'The password policy changed.', none),
  'settings.retention_changed': entry('identity', 'The data retention settings changed.', none),
  'auth.logged_in': entry('identity', 'Someone signed in.', open({ ip: z.string().nullable().optional() })),
  'auth.login_failed': entry(
    'identity',
    'A sign-in failed.',
    open({ username: z.string(), ip: z.string().nullable().optional(), failures: z.number() }),
  ),
  'auth.login_throttled': entry(
    'identity',
    'Sign-ins for an account were throttled after repeated failures.',
    open({ ip: z.string().nullable().optional(), failures: z.number() }),
  ),
  'auth.login_unlocked': entry('identity', 'An admin lifted a sign-in throttle.', open({ addresses: z.unknown() })),
  'auth.token_created': entry(
    'identity',
    'An API token was issued.',
    open({ name: z.string(), scopes: z.array(z.string()), expiresAt: when }),
  ),
  'auth.token_revoked': entry('identity', 'An API token was revoked.', none),
  'auth.token_used': entry('identity', 'An API token was used (at most once a period).', none),

  // ---- customers and assets (versioned records: the story is in `changes`) ------------------------
  'customer.created': entry('customers', 'A customer was created.', none),
  'customer.updated': entry('customers', 'A customer changed.', none),
  'customer.deleted': entry('customers', 'A customer was removed.', none),
  'contact.created': entry('customers', 'A contact was created.', none),
  'contact.updated': entry('customers', 'A contact changed.', none),
  'contact.deleted': entry('customers', 'A contact was removed.', none),
  'site.created': entry('customers', 'A site was created.', none),
  'site.updated': entry('customers', 'A site changed.', none),
  'site.deleted': entry('customers', 'A site was removed.', none),
  'productModel.created': entry('assets', 'A product model was created.', none),
  'productModel.updated': entry('assets', 'A product model changed.', none),
  'productModel.deleted': entry('assets', 'A product model was removed.', none),
  'contract.created': entry('assets', 'A service contract was created.', none),
  'contract.updated': entry('assets', 'A service contract changed.', none),
  'contract.deleted': entry('assets', 'A service contract was removed.', none),
  'device.created': entry('assets', 'A device was registered.', none),
  'device.updated': entry('assets', 'A device changed.', none),
  'device.deleted': entry('assets', 'A device was removed.', none),
  'telemetry.alert': entry(
    'assets',
    'A device (or its monitoring system) reported an alarm through the device-alert API.',
    open({
      deviceId: id,
      serialNumber: z.string(),
      code: z.string(),
      message: z.string(),
      severity: z.enum(['info', 'warning', 'critical']),
    }),
  ),

  // ---- forms and workflows --------------------------------------------------------------------------
  'form.field_added': entry(
    'forms',
    'A custom field was added to a ticket type.',
    open({ ticketType: z.string(), key: z.string() }),
  ),
  'form.field_changed': entry(
    'forms',
    'A custom field changed.',
    open({ version: z.number().int(), changed: z.array(z.string()) }),
  ),
  'workflow.draft_created': entry('workflows', 'A workflow draft was started.', workflowVersion),
  'workflow.draft_saved': entry('workflows', 'A workflow draft was saved.', workflowVersion),
  'workflow.draft_discarded': entry('workflows', 'A workflow draft was discarded.', workflowVersion),
  'workflow.activated': entry('workflows', 'A workflow version became active for its ticket type.', workflowVersion),

  // ---- sla ----------------------------------------------------------------------------------------
  'sla.warning': entry('sla', 'A running SLA clock is close to its deadline.', clock),
  'sla.breached': entry('sla', 'An SLA clock passed its deadline (or was met late).', clock),
  'sla.holidays_saved': entry(
    'sla',
    "A year's holiday schedule was saved.",
    open({ source: z.string(), holidays: z.number(), workdays: z.number() }),
  ),
  'sla.holidays_missing': entry('sla', "Next year's holiday schedule is still missing.", open({ year: z.number() })),
  'slaPolicy.created': entry('sla', 'An SLA policy was created.', none),
  'slaPolicy.updated': entry('sla', 'An SLA policy changed.', none),
  'slaPolicy.deleted': entry('sla', 'An SLA policy was removed.', none),
  'slaCalendar.created': entry('sla', 'A business calendar was created.', none),
  'slaCalendar.updated': entry('sla', 'A business calendar changed.', none),
  'slaCalendar.deleted': entry('sla', 'A business calendar was removed.', none),

  // ---- parts ----------------------------------------------------------------------------------------
  'part.created': entry('parts', 'A part was added to the catalogue.', none),
  'part.updated': entry('parts', 'A catalogue part changed (SKU, cost, …).', none),
  'part.deleted': entry('parts', 'A part was removed from the catalogue.', none),
  'warehouse.created': entry('parts', 'A warehouse (or van) was created.', none),
  'warehouse.updated': entry('parts', 'A warehouse changed.', none),
  'warehouse.deleted': entry('parts', 'A warehouse was removed.', none),
  'part.consumed': entry('parts', 'Parts were used on a ticket.', stockMoved),
  'part.issued': entry('parts', 'Parts were issued for a ticket.', stockMoved),
  'part.defective_returned': entry('parts', 'A defective part came back from a ticket.', stockMoved),
  'stock.receipt': entry('parts', 'Stock was received.', stockMoved),
  'stock.adjustment': entry('parts', 'A stock count was adjusted.', stockMoved),
  'stock.issue': entry('parts', 'Stock was issued (not for a ticket).', stockMoved),
  'stock.transfer': entry('parts', 'Stock moved between warehouses.', stockMoved),
  'stock.reserved': entry(
    'parts',
    'Stock was reserved.',
    open({ warehouseId: id.optional(), quantity: z.number().optional() }),
  ),
  'stock.released': entry(
    'parts',
    'A reservation was given back.',
    open({ reservationId: id, warehouseId: id, quantity: z.number() }),
  ),
  'parts.reorder_point_set': entry(
    'parts',
    "A part's reorder point was set for a warehouse.",
    open({ warehouseId: id }),
  ),
  'parts.reorder_needed': entry(
    'parts',
    'Available stock fell to the reorder point.',
    open({ warehouseId: id, available: z.number(), reorderPoint: z.number().nullable() }),
  ),
  'parts.reorder_cleared': entry(
    'parts',
    'Available stock rose above the reorder point again.',
    open({ warehouseId: id, available: z.number(), reorderPoint: z.number().nullable() }),
  ),
  'parts.settings_updated': entry('parts', 'Parts settings changed.', none),
  'requisition.requested': entry('parts', 'An engineer requested parts for a ticket.', requisition),
  'requisition.approved': entry('parts', 'A parts requisition was approved.', requisition),
  'requisition.rejected': entry('parts', 'A parts requisition was rejected.', requisition),
  'requisition.issued': entry('parts', 'Requisitioned parts were issued.', requisition),
  'requisition.consumed': entry('parts', 'Requisitioned parts were used.', requisition),
  'requisition.cancelled': entry('parts', 'A parts requisition was cancelled.', requisition),

  // ---- surveys ----------------------------------------------------------------------------------------
  'survey.created': entry(
    'surveys',
    'A satisfaction survey was offered.',
    open({ surveyId: id, asksCsat: z.boolean() }),
  ),
  'survey.answered': entry(
    'surveys',
    'The customer answered the survey.',
    open({ surveyId: id, csat: z.number().nullable(), nps: z.number().nullable().optional() }),
  ),

  // ---- portal -----------------------------------------------------------------------------------------
  'portal.invitation_created': entry(
    'portal',
    'A customer contact was invited to the portal.',
    open({ invitationId: id }),
  ),
  'portal.invitation_revoked': entry('portal', 'A portal invitation was revoked.', open({ invitationId: id })),
  'portal.invitation_accepted': entry(
    'portal',
    'A contact accepted the invitation.',
    open({ invitationId: id, userId: id }),
  ),
  'quote.issued': entry('portal', 'A quote was sent to the customer.', quote),
  'quote.approved': entry('portal', 'The customer approved a quote.', quote),
  'quote.rejected': entry('portal', 'The customer rejected a quote.', quote),
  'quote.withdrawn': entry('portal', 'A quote was withdrawn.', quote),
  'faq.created': entry('portal', 'An FAQ entry was added.', open({ question: z.string() })),
  'faq.updated': entry('portal', 'An FAQ entry changed.', open({ fields: z.array(z.string()) })),
  'faq.deleted': entry('portal', 'An FAQ entry was removed.', open({ question: z.string() })),
  'ticket.service_report_sent': entry(
    'portal',
    'The service report was mailed to the customer.',
    open({ to: z.string().nullable() }),
  ),

  // ---- analytics --------------------------------------------------------------------------------------
  'analytics.spike_detected': entry(
    'analytics',
    "A model, batch or region's tickets rose significantly above their baseline.",
    open({ dimension: z.string(), key: z.string() }),
  ),
  'analytics.report_saved': entry('analytics', 'A saved report was created or changed.', savedView),
  'analytics.report_deleted': entry('analytics', 'A saved report was removed.', none),
  'analytics.dashboard_saved': entry('analytics', 'A dashboard was created or changed.', savedView),
  'analytics.dashboard_deleted': entry('analytics', 'A dashboard was removed.', none),

  // ---- integrations and configuration -----------------------------------------------------------------
  'import.committed': entry(
    'integrations',
    'An import wrote its rows (tickets imported as history notify no one).',
    open({
      entity: z.string(),
      fileName: z.string().optional(),
      count: z.number(),
      firstId: id.optional(),
      lastId: id.optional(),
    }),
  ),
  'config.imported': entry('config', 'A configuration document was imported.', open({ summary: z.unknown() })),

  // ---- notifications ----------------------------------------------------------------------------------
  'notification_endpoint.created': entry(
    'notifications',
    'A robot or webhook endpoint was added (its URL masked).',
    open({ kind: z.string(), name: z.string(), url: z.string() }),
  ),
  'notification_endpoint.updated': entry('notifications', 'An endpoint changed.', none),
  'notification_host.allowed': entry('notifications', 'A webhook host was allowed.', open({ host: z.string() })),
  'notification_host.disallowed': entry(
    'notifications',
    'A webhook host was no longer allowed.',
    open({ host: z.string() }),
  ),
  'notification_delivery.redelivered': entry(
    'notifications',
    'A failed delivery was sent again.',
    open({ channel: z.string() }),
  ),
  'notifications.weekly_digest_sent': entry(
    'notifications',
    "The week's digest was sent.",
    open({ recipients: z.number() }),
  ),
  'notificationSubscription.created': entry('notifications', 'A notification subscription was created.', none),
  'notificationSubscription.updated': entry('notifications', 'A notification subscription changed.', none),
  'notificationSubscription.deleted': entry('notifications', 'A notification subscription was removed.', none),
  'notificationTemplate.created': entry('notifications', 'A message template was created.', none),
  'notificationTemplate.updated': entry('notifications', 'A message template changed.', none),
  'notificationTemplate.deleted': entry('notifications', 'A message template was removed.', none),

  // ---- automation ---------------------------------------------------------------------------------------
  'automationRule.created': entry('automation', 'An automation rule was created.', none),
  'automationRule.updated': entry('automation', 'An automation rule changed.', none),
  'automationRule.deleted': entry('automation', 'An automation rule was removed.', none),
  'automation.notified': entry(
    'automation',
    "A rule's notify action sent a message (on the ticket's timeline).",
    open({ ruleName: z.string(), action: z.string() }),
  ),
} as const satisfies Record<string, EventEntry>;

export type EventName = keyof typeof EVENT_CATALOGUE;
/** The payload (`data`) an event of this name carries, as its emitter writes it. */
export type EventPayload<N extends EventName> = z.input<(typeof EVENT_CATALOGUE)[N]['payload']>;
export const EVENT_NAMES = Object.keys(EVENT_CATALOGUE) as EventName[];

const NAMES = new Set<string>(EVENT_NAMES);
export const isEventName = (name: string): name is EventName => NAMES.has(name);

/**
 * The catalogued names a subscription pattern stands for: an exact name, `prefix.*`, or `*`.
 * Throws on a name or prefix the catalogue does not know, so a typo fails at start-up rather
 * than waiting silently for an event that never comes.
 */
export function expandEventPattern(pattern: string): EventName[] {
  if (pattern === '*') return [...EVENT_NAMES];
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -1);
    const matched = EVENT_NAMES.filter((n) => n.startsWith(prefix));
    if (matched.length === 0) throw new Error(`no catalogued event matches ${pattern}`);
    return matched;
  }
  if (!isEventName(pattern))
    throw new Error(`event ${pattern} is not in the event catalogue (packages/contracts/src/events.ts)`);
  return [pattern];
}

/** Versioned records (platform/db/records.ts) write `<entity>.created|updated|deleted`. */
export type RecordEntity = {
  [N in EventName]: N extends `${infer E}.created`
    ? `${E}.updated` extends EventName
      ? `${E}.deleted` extends EventName
        ? E
        : never
      : never
    : never;
}[EventName];
