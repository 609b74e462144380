import {
  type ConditionNode,
  CreateAutomationRule,
  type FieldDefinitionInput,
  type ReferenceTarget,
  RuleAction,
  RuleRecipient,
} from '@serviceloop/contracts';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Executor, rows } from '../../platform/db/client';
import { diff, SYSTEM_ACTOR } from '../../platform/events/event-log';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { keyedSection, type SectionProblem } from '../config/index';
import { type CustomField, customFields } from './facts';
import { automationRules } from './tables';
import { ruleProblems } from './validate';

/**
 * Automation rules as the configuration section `automation.rules`, each named by its name (unique
 * since migration 0023: it is how people, run logs and the rules' own comments name a rule).
 *
 * A rule refers to rows by id — an action's user, team or endpoint, a condition on `ticket.teamId`
 * or on a custom reference field, a set-field value of such a field. The document names them by
 * their natural keys instead, and import turns the keys back into the target's ids:
 *
 * | refers to | named by | may come with the document |
 * |---|---|---|
 * | team | name | `identity.teams` |
 * | notification endpoint | name | `notifications.endpoints` |
 * | fault category | code | `tickets.faultCategories` |
 * | user | username | no: people are not configuration |
 * | customer | name (customers have no code; names are unique) | no: master data |
 * | device | `modelCode/serialNumber` (unique together; asset codes are optional) | no: master data |
 * | spare part | SKU | no: master data |
 * | ticket | number | no |
 *
 * Actions name these under key-shaped fields (`assign.user`, `assign.team`, a recipient's `user` or
 * `endpoint`, `webhook.endpoint`), like the other sections (`calendar`, `endpoint`); conditions keep
 * their field (`ticket.teamId`) and carry the key as the value. An id that no longer names a row
 * (a deleted team) is exported as it is, so the import says which reference is broken.
 */

type RefKind = 'user' | 'team' | 'endpoint' | 'category' | ReferenceTarget | 'ticket';

/** Condition fields whose values are ids (every `id` field of RULE_FIELDS), and what they name. */
export const ID_FIELDS: Record<string, RefKind> = {
  'ticket.id': 'ticket',
  'ticket.teamId': 'team',
  'ticket.categoryId': 'category',
  'ticket.customerId': 'customer',
  'ticket.deviceId': 'device',
  'ticket.assigneeId': 'user',
};

/** Kinds the same document may bring, with the section and how its items are named. */
const BROUGHT: Partial<Record<RefKind, { section: string; key: (item: never) => string }>> = {
  team: { section: 'identity.teams', key: (t: { name: string }) => t.name },
  endpoint: { section: 'notifications.endpoints', key: (e: { name: string }) => e.name },
  category: { section: 'tickets.faultCategories', key: (c: { code: string }) => c.code },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The natural key of the row an id names, or null. */
async function keyOf(db: Executor, kind: RefKind, id: string): Promise<string | null> {
  if (!UUID.test(id)) return null;
  const query = {
    user: sql`select username as key from users where id = ${id}`,
    team: sql`select name as key from teams where id = ${id}`,
    endpoint: sql`select name as key from notification_endpoints where id = ${id}`,
    category: sql`select code as key from fault_categories where id = ${id}`,
    customer: sql`select name as key from customers where id = ${id}`,
    device: sql`select m.code || '/' || d.serial_number as key from devices d join product_models m on m.id = d.model_id
                where d.id = ${id}`,
    part: sql`select sku as key from parts where id = ${id}`,
    ticket: sql`select number as key from tickets where id = ${id}`,
  }[kind];
  return (await rows<{ key: string }>(db, query))[0]?.key ?? null;
}

/** The id of the row a natural key names, or null. */
async function idOf(db: Executor, kind: RefKind, key: string): Promise<string | null> {
  // Model codes have no slash (CreateProductModel): the first one ends the code.
  const slash = key.indexOf('/');
  const [model, serial] = slash < 0 ? ['', ''] : [key.slice(0, slash), key.slice(slash + 1)];
  const query = {
    user: sql`select id from users where lower(username) = lower(${key})`,
    team: sql`select id from teams where name = ${key}`,
    // Endpoint names are not unique; the oldest of a name is the one the document means.
    endpoint: sql`select id from notification_endpoints where name = ${key} order by created_at, id limit 1`,
    category: sql`select id from fault_categories where code = ${key}`,
    customer: sql`select id from customers where lower(name) = lower(${key})`,
    device: sql`select d.id from devices d join product_models m on m.id = d.model_id
                where m.code = ${model} and d.serial_number = ${serial}`,
    part: sql`select id from parts where sku = ${key}`,
    ticket: sql`select id from tickets where number = ${key}`,
  }[kind];
  return (await rows<{ id: string }>(db, query))[0]?.id ?? null;
}

/** What a condition field's values name, if they are ids. */
function refOfField(field: string, fields: Map<string, CustomField>): RefKind | null {
  const path = /^(ticket|customer|device|contract|event)\./.test(field) ? field : `ticket.${field}`;
  if (path.startsWith('ticket.fields.')) return refOfCustomField(path.slice('ticket.fields.'.length), fields);
  return ID_FIELDS[path] ?? null;
}

function refOfCustomField(key: string, fields: Map<string, CustomField>): RefKind | null {
  const field = fields.get(key);
  return field?.kind === 'reference' ? field.reference : null;
}

// ---- the document's shape --------------------------------------------------------------------

type Options<U> = U extends { options: readonly (infer O)[] } ? O : never;
const action = <T extends RuleAction['type']>(type: T) =>
  RuleAction.options.find((o) => o.shape.type.value === type) as Extract<
    Options<typeof RuleAction>,
    { shape: { type: z.ZodLiteral<T> } }
  >;
const recipient = <K extends RuleRecipient['kind']>(kind: K) =>
  RuleRecipient.options.find((o) => o.shape.kind.value === kind) as Extract<
    Options<typeof RuleRecipient>,
    { shape: { kind: z.ZodLiteral<K> } }
  >;

const Key = z.string().trim().min(1).max(200);

const Recipient = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), user: Key }),
  recipient('role'),
  recipient('assignee'),
  recipient('team_manager'),
  z.object({ kind: z.literal('endpoint'), endpoint: Key }),
]);
type Recipient = z.infer<typeof Recipient>;
const Recipients = z.array(Recipient).min(1).max(20);

/** A rule's action as the contract has it, with names where the contract has ids. */
const Action = z.discriminatedUnion('type', [
  action('set_priority'),
  action('set_field'),
  action('assign').omit({ userId: true, teamId: true }).extend({ user: Key.optional(), team: Key.optional() }),
  action('notify').extend({ recipients: Recipients }),
  action('escalate').extend({ recipients: Recipients }),
  action('comment'),
  action('create_ticket'),
  z.object({ type: z.literal('webhook'), endpoint: Key }),
]);
type Action = z.infer<typeof Action>;

const RuleItem = CreateAutomationRule.omit({ actions: true, description: true }).extend({
  description: z.string().trim().max(1000).nullable().default(null),
  actions: z.array(Action).min(1).max(20),
});
type RuleItem = z.infer<typeof RuleItem>;

// ---- translation both ways --------------------------------------------------------------------

/** Turns one reference into the other side's form; `path` says where it sits in the rule. */
type Translate = (kind: RefKind, value: string, path: string) => Promise<string>;

async function translateConditions(
  node: ConditionNode,
  path: string,
  fields: Map<string, CustomField>,
  translate: Translate,
): Promise<ConditionNode> {
  if ('all' in node) {
    const all: ConditionNode[] = [];
    for (const [i, c] of node.all.entries())
      all.push(await translateConditions(c, `${path}.all.${i}`, fields, translate));
    return { all };
  }
  if ('any' in node) {
    const any: ConditionNode[] = [];
    for (const [i, c] of node.any.entries())
      any.push(await translateConditions(c, `${path}.any.${i}`, fields, translate));
    return { any };
  }
  if ('not' in node) return { not: await translateConditions(node.not, `${path}.not`, fields, translate) };
  const kind = refOfField(node.field, fields);
  if (!kind || node.value === undefined || node.value === null) return node;
  const { value } = node;
  if (typeof value === 'string') return { ...node, value: await translate(kind, value, `${path}.value`) };
  if (!Array.isArray(value)) return node;
  const values: (string | number)[] = [];
  for (const [i, v] of value.entries())
    values.push(typeof v === 'string' ? await translate(kind, v, `${path}.value.${i}`) : v);
  return { ...node, value: values };
}

type StoredRule = Omit<CreateAutomationRule, 'description'> & { description: string | null };

/** A stored rule as the document names it. */
async function portable(db: Executor, rule: StoredRule, fields: Map<string, CustomField>): Promise<RuleItem> {
  const name: Translate = async (kind, id) => (await keyOf(db, kind, id)) ?? id;
  const recipients = (list: RuleRecipient[]) =>
    Promise.all(
      list.map(async (r): Promise<Recipient> => {
        switch (r.kind) {
          case 'user':
            return { kind: 'user', user: await name('user', r.userId, '') };
          case 'endpoint':
            return { kind: 'endpoint', endpoint: await name('endpoint', r.endpointId, '') };
          default:
            return r;
        }
      }),
    );
  const actions: Action[] = [];
  for (const a of rule.actions) {
    switch (a.type) {
      case 'assign': {
        const { userId, teamId, ...rest } = a;
        actions.push({
          ...rest,
          ...(userId ? { user: await name('user', userId, '') } : {}),
          ...(teamId ? { team: await name('team', teamId, '') } : {}),
        });
        break;
      }
      case 'notify':
      case 'escalate':
        actions.push({ ...a, recipients: await recipients(a.recipients) });
        break;
      case 'webhook':
        actions.push({ type: 'webhook', endpoint: await name('endpoint', a.endpointId, '') });
        break;
      case 'set_field': {
        const kind = refOfCustomField(a.field, fields);
        actions.push(kind && typeof a.value === 'string' ? { ...a, value: await name(kind, a.value, '') } : a);
        break;
      }
      default:
        actions.push(a);
    }
  }
  return {
    name: rule.name,
    description: rule.description,
    enabled: rule.enabled,
    position: rule.position,
    trigger: rule.trigger,
    conditions: rule.conditions ? await translateConditions(rule.conditions, '', fields, name) : null,
    actions,
    stopProcessing: rule.stopProcessing,
  };
}

/** A document's rule with the target's ids (`translate` finds them, or notes what it cannot). */
async function resolved(rule: RuleItem, fields: Map<string, CustomField>, translate: Translate) {
  // Conditions first: problems come in the order a reader meets them.
  const conditions = rule.conditions
    ? await translateConditions(rule.conditions, 'conditions', fields, translate)
    : null;
  const recipients = (list: Recipient[], path: string) =>
    Promise.all(
      list.map(async (r, k): Promise<RuleRecipient> => {
        switch (r.kind) {
          case 'user':
            return { kind: 'user', userId: await translate('user', r.user, `${path}.${k}.user`) };
          case 'endpoint':
            return { kind: 'endpoint', endpointId: await translate('endpoint', r.endpoint, `${path}.${k}.endpoint`) };
          default:
            return r;
        }
      }),
    );
  const actions: RuleAction[] = [];
  for (const [j, a] of rule.actions.entries()) {
    const at = `actions.${j}`;
    switch (a.type) {
      case 'assign': {
        const { user, team, ...rest } = a;
        actions.push({
          ...rest,
          ...(user ? { userId: await translate('user', user, `${at}.user`) } : {}),
          ...(team ? { teamId: await translate('team', team, `${at}.team`) } : {}),
        });
        break;
      }
      case 'notify':
      case 'escalate':
        actions.push({ ...a, recipients: await recipients(a.recipients, `${at}.recipients`) });
        break;
      case 'webhook':
        actions.push({ type: 'webhook', endpointId: await translate('endpoint', a.endpoint, `${at}.endpoint`) });
        break;
      case 'set_field': {
        const kind = refOfCustomField(a.field, fields);
        actions.push(
          kind && typeof a.value === 'string' ? { ...a, value: await translate(kind, a.value, `${at}.value`) } : a,
        );
        break;
      }
      default:
        actions.push(a);
    }
  }
  return { ...rule, conditions, actions };
}

type FieldItem = z.infer<typeof FieldDefinitionInput>;

/** The target's custom fields, as the same document leaves them (its `forms.fields` are imported first). */
async function fieldsAfterImport(db: Executor, document: Record<string, unknown[]>) {
  const fields = await customFields(db);
  const brought = new Set<string>();
  for (const f of (document['forms.fields'] ?? []) as FieldItem[]) {
    if (brought.has(f.key)) continue;
    brought.add(f.key);
    fields.set(f.key, { kind: f.kind, reference: f.reference ?? null });
  }
  return fields;
}

const MASTER_DATA: RefKind[] = ['user', 'customer', 'device', 'part', 'ticket'];

/** The `automation.rules` section; writes go with `automationRule.*` events, as the rule API's do. */
export function automationRulesSection(platform: Platform) {
  return keyedSection<RuleItem>({
    key: 'automation.rules',
    titleZh: '自动化规则',
    titleEn: 'Automation rules',
    item: RuleItem,
    keyOf: (r) => r.name,
    async load(db) {
      const fields = await customFields(db);
      const items: RuleItem[] = [];
      for (const rule of await db.select().from(automationRules)) items.push(await portable(db, rule, fields));
      return items;
    },
    async check(db, items, { document }) {
      const problems: SectionProblem[] = [];
      const fields = await fieldsAfterImport(db, document);
      const brought = new Map<RefKind, Set<string>>();
      for (const [kind, from] of Object.entries(BROUGHT))
        brought.set(kind as RefKind, new Set(((document[from.section] ?? []) as never[]).map(from.key)));
      for (const [index, item] of items.entries()) {
        await resolved(item, fields, async (kind, key, path) => {
          if (brought.get(kind)?.has(key)) return key;
          const id = await idOf(db, kind, key);
          if (!id)
            problems.push({
              path: `${index}.${path}`,
              message: MASTER_DATA.includes(kind) ? 'config.missing_master_data' : 'config.missing_reference',
              params: { key },
            });
          return id ?? key;
        });
        // The rule API's own check: fields exist, operators and values fit them, the cron parses.
        const kinds = new Map([...fields].map(([key, f]) => [key, f.kind]));
        for (const p of ruleProblems(item, kinds)) problems.push({ path: `${index}.${p.path}`, message: p.code });
      }
      return problems;
    },
    async save(tx, item, before, { now, actorId, document }) {
      const fields = await fieldsAfterImport(tx, document);
      const rule = CreateAutomationRule.parse(
        await resolved(item, fields, async (kind, key, path) => {
          const id = await idOf(tx, kind, key);
          // The plan found every reference; one missing now is a bug, not the document's problem.
          if (!id) throw new Error(`automation.rules: ${path} “${key}” vanished during the import`);
          return id;
        }),
      );
      const values = {
        description: rule.description ?? null,
        enabled: rule.enabled,
        position: rule.position,
        trigger: rule.trigger,
        conditions: rule.conditions,
        actions: rule.actions,
        stopProcessing: rule.stopProcessing,
      };
      const actor = actorId ? { kind: 'user' as const, id: actorId } : SYSTEM_ACTOR;
      const [row] = before
        ? await tx.select().from(automationRules).where(eq(automationRules.name, item.name)).for('update')
        : [];
      if (row) {
        await tx
          .update(automationRules)
          .set({ ...values, updatedAt: now, version: row.version + 1 })
          .where(eq(automationRules.id, row.id));
        await platform.events.append(tx, {
          type: 'automationRule.updated',
          entityType: 'automationRule',
          entityId: row.id,
          actor,
          changes: diff(row as Record<string, unknown>, values),
          data: { imported: true },
        });
      } else {
        const id = newId(now.getTime());
        await tx
          .insert(automationRules)
          .values({ id, name: rule.name, ...values, createdAt: now, updatedAt: now, version: 1 });
        await platform.events.append(tx, {
          type: 'automationRule.created',
          entityType: 'automationRule',
          entityId: id,
          actor,
          changes: diff({}, { name: rule.name, ...values }),
          data: { imported: true },
        });
      }
    },
  });
}
