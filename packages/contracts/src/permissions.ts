import { z } from 'zod';

/**
 * The permission vocabulary shared by server and web. The policy itself is data
 * (role × resource × action → data scope, plus hidden fields); the server enforces
 * it in queries and the web uses the same rules to hide what a user may not do.
 */
export const Role = z.enum(['admin', 'manager', 'agent', 'engineer', 'warehouse', 'quality', 'customer']);
export type Role = z.infer<typeof Role>;
export const ROLES = Role.options;

export const Resource = z.enum([
  'user',
  'customer',
  'contact',
  'site',
  'productModel',
  'device',
  'contract',
  'ticket',
  'auditLog',
  'settings',
  'analytics',
  'part',
  'warehouse',
  'stock',
  'requisition',
  'slaPolicy',
  'quote',
  'survey',
  'faq',
  'invitation',
  'engineer',
  'dispatch',
  'import',
  'notification',
  'notificationSetup',
  'workflow',
  'automationRule',
]);
export type Resource = z.infer<typeof Resource>;
export const RESOURCES = Resource.options;

export const Action = z.enum(['read', 'create', 'update', 'delete', 'export']);
export type Action = z.infer<typeof Action>;
export const ACTIONS = Action.options;

/**
 * How much of a resource a rule reaches, widest first:
 * all; region (records in the actor's regions); team (records of the actor's teams);
 * organisation (records of the actor's customer organisation — customer contacts);
 * own (records the actor created or is assigned to).
 */
export const DataScope = z.enum(['all', 'region', 'team', 'organisation', 'own']);
export type DataScope = z.infer<typeof DataScope>;

export const PolicyRule = z.object({
  role: Role,
  resource: Resource,
  action: Action,
  scope: DataScope,
  hiddenFields: z.array(z.string()).default([]),
});
export type PolicyRule = z.infer<typeof PolicyRule>;

/** API token scopes: `resource:read` allows read and export; `resource:write` create, update, delete. */
export const TokenScope = z.string().regex(/^[a-zA-Z]+:(read|write)$/);
export const tokenScopeFor = (resource: Resource, action: Action) =>
  `${resource}:${action === 'read' || action === 'export' ? 'read' : 'write'}`;

const rule = (role: Role, resource: Resource, actions: Action[], scope: DataScope, hiddenFields: string[] = []) =>
  actions.map((action) => ({ role, resource, action, scope, hiddenFields }));

const READ: Action[] = ['read', 'export'];
const WRITE: Action[] = ['read', 'export', 'create', 'update'];
const ALL: Action[] = ['read', 'export', 'create', 'update', 'delete'];
const MASTER: Resource[] = ['customer', 'contact', 'site', 'productModel', 'device', 'contract'];

/**
 * Spare parts. Keepers (warehouse) run the stock; managers oversee it; engineers see where parts
 * are and ask for them for their own tickets; agents and quality read. The catalogue and stock
 * are not customer data, and customers see none of it. Who may approve a requisition is a
 * setting (keeper, manager or both), checked by the parts module on top of `requisition:update`.
 */
const PARTS_POLICY: PolicyRule[] = [
  ...(['part', 'warehouse', 'stock', 'requisition'] as Resource[]).flatMap((r) => [
    ...rule('admin', r, ALL, 'all'),
    ...rule('manager', r, ALL, 'all'),
    ...rule('warehouse', r, ALL, 'all'),
  ]),
  ...(['part', 'warehouse', 'stock'] as Resource[]).flatMap((r) => [
    ...rule('agent', r, READ, 'all'),
    ...rule('engineer', r, ['read'], 'all'),
    ...rule('quality', r, READ, 'all'),
  ]),
  ...rule('engineer', 'requisition', ['read', 'create', 'update'], 'own'),
  ...rule('agent', 'requisition', READ, 'all'),
  ...rule('quality', 'requisition', READ, 'all'),
];

/**
 * The customer portal. Quotes follow their ticket's scope (engineers their own jobs); a customer
 * reads its organisation's quotes and surveys and decides/answers them (`update`). FAQ answers are
 * public self-service, not customer data: everyone reads them, staff keep them. Account managers
 * (agents, managers) invite contacts.
 */
const PORTAL_POLICY: PolicyRule[] = [
  ...(['quote', 'faq', 'invitation'] as Resource[]).flatMap((r) => [
    ...rule('admin', r, ALL, 'all'),
    ...rule('manager', r, ALL, 'all'),
  ]),
  ...rule('agent', 'quote', WRITE, 'all'),
  ...rule('agent', 'faq', WRITE, 'all'),
  ...rule('agent', 'invitation', WRITE, 'all'),
  ...rule('engineer', 'quote', ['read', 'create'], 'own'),
  ...rule('quality', 'quote', READ, 'all'),
  ...rule('customer', 'quote', ['read', 'update'], 'organisation'),
  ...(['engineer', 'warehouse', 'quality', 'customer'] as Role[]).flatMap((role) => rule(role, 'faq', ['read'], 'all')),
  ...(['admin', 'manager', 'agent', 'quality'] as Role[]).flatMap((role) => rule(role, 'survey', READ, 'all')),
  ...rule('customer', 'survey', ['read', 'update'], 'organisation'),
];

/**
 * Field service. Engineer profiles are managed by managers; dispatchers (agents) read them and
 * run the board, suggestions and the day optimiser (`dispatch`); an engineer reads their own
 * profile. Dispatching itself is still the ticket's `dispatch` transition (ticket:update).
 */
const FIELD_POLICY: PolicyRule[] = [
  ...(['engineer', 'dispatch'] as Resource[]).flatMap((r) => [
    ...rule('admin', r, ALL, 'all'),
    ...rule('manager', r, ALL, 'all'),
  ]),
  ...rule('agent', 'engineer', READ, 'all'),
  ...rule('agent', 'dispatch', WRITE, 'all'),
  ...rule('engineer', 'engineer', ['read'], 'own'),
];

/**
 * Notifications. Everyone has an inbox and reads and marks their own (scope `own`). Who hears
 * about what, robots, webhooks and templates are set up by admins; managers read the setup and
 * the delivery log.
 */
const NOTIFICATIONS_POLICY: PolicyRule[] = [
  ...ROLES.flatMap((role) => rule(role, 'notification', ['read', 'update'], 'own')),
  ...rule('admin', 'notificationSetup', ALL, 'all'),
  ...rule('manager', 'notificationSetup', READ, 'all'),
];

/** The policy a fresh installation starts with; admins change it on the roles page. */
export const DEFAULT_POLICY: PolicyRule[] = [
  ...(['user', 'auditLog', 'settings', 'ticket', 'slaPolicy', ...MASTER] as Resource[]).flatMap((r) =>
    rule('admin', r, ALL, 'all'),
  ),
  ...MASTER.flatMap((r) => rule('manager', r, ALL, 'all')),
  ...rule('manager', 'ticket', ALL, 'all'),
  ...rule('manager', 'user', READ, 'all'),
  ...rule('manager', 'auditLog', READ, 'all'),
  // Writing analytics means saving reports and dashboards; everyone sees only the tickets of their own scope.
  ...(['admin', 'manager', 'quality'] as Role[]).flatMap((role) => rule(role, 'analytics', ALL, 'all')),
  // Agents watch the operations dashboard; engineers see their own work in the field app instead.
  ...rule('agent', 'analytics', ['read'], 'all'),
  // SLA policies and business calendars: managers set them, agents read what they are held to.
  ...rule('manager', 'slaPolicy', ALL, 'all'),
  ...rule('agent', 'slaPolicy', READ, 'all'),
  ...MASTER.flatMap((r) => rule('agent', r, WRITE, 'all')),
  ...rule('agent', 'ticket', WRITE, 'all'),
  ...rule('agent', 'user', ['read'], 'all'),
  // Engineers work their region; contact phone numbers stay visible so they can call on site.
  ...MASTER.flatMap((r) => rule('engineer', r, ['read'], 'region', r === 'customer' ? ['creditCode'] : [])),
  ...rule('engineer', 'ticket', ['read', 'update'], 'own'),
  ...(['productModel', 'device'] as Resource[]).flatMap((r) => rule('warehouse', r, READ, 'all')),
  ...(['customer', 'productModel', 'device', 'contract'] as Resource[]).flatMap((r) =>
    rule('quality', r, READ, 'all', r === 'customer' ? ['creditCode'] : []),
  ),
  ...rule('quality', 'ticket', READ, 'all'),
  // A customer contact sees its own organisation only, and never internal cost or contract terms.
  ...(['customer', 'contact', 'site', 'device'] as Resource[]).flatMap((r) =>
    rule('customer', r, ['read'], 'organisation'),
  ),
  ...rule('customer', 'contract', ['read'], 'organisation', ['value']),
  ...rule('customer', 'ticket', ['read', 'create'], 'organisation'),
  ...PARTS_POLICY,
  ...PORTAL_POLICY,
  ...FIELD_POLICY,
  // Historical import writes customers, devices, parts and closed tickets in bulk: managers and
  // admins run it; agents and quality may read the data dictionary and the import history.
  ...rule('admin', 'import', ['read', 'create'], 'all'),
  ...rule('manager', 'import', ['read', 'create'], 'all'),
  ...rule('agent', 'import', ['read'], 'all'),
  ...rule('quality', 'import', ['read'], 'all'),
  ...NOTIFICATIONS_POLICY,
  // Ticket types and workflows are the installation's process: administrators design and activate
  // them; managers read them. Taking a transition is governed by the workflow's own roles.
  ...rule('admin', 'workflow', ALL, 'all'),
  ...rule('manager', 'workflow', READ, 'all'),
  // Automation rules shape the process: admins and managers write them, agents read what runs.
  ...rule('admin', 'automationRule', ALL, 'all'),
  ...rule('manager', 'automationRule', ALL, 'all'),
  ...rule('agent', 'automationRule', READ, 'all'),
];
