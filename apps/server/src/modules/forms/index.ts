/**
 * forms — custom fields that administrators add to a ticket type's report form. Definitions are
 * data (table `form_fields`); the same check (`checkFieldValues` in the contracts) runs in the
 * browser and here, on every ticket created through the API.
 */
import {
  checkFieldValues,
  FieldDefinition,
  FieldDefinitionInput,
  IdParams,
  UpdateFieldDefinition,
} from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Executor, rows } from '../../platform/db/client';
import type { HttpModule } from '../../platform/http/app';
import { AppError, notFound } from '../../platform/http/errors';
import { registerMessages } from '../../platform/i18n';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { type Access, eventActor, needs } from '../identity/index';

registerMessages({
  'entity.formField': { 'zh-CN': '自定义字段', 'en-US': 'Custom field' },
  'validation.field_key': {
    'zh-CN': '字段键以小写字母开头，只含字母和数字（2–40 位）',
    'en-US': 'A field key starts with a lower-case letter and has 2–40 letters and digits',
  },
  'validation.field_unknown': { 'zh-CN': '没有这个自定义字段', 'en-US': 'No such custom field' },
  'validation.field_type': { 'zh-CN': '格式不正确', 'en-US': 'Wrong format' },
  'validation.field_too_long': { 'zh-CN': '内容过长', 'en-US': 'Too long' },
  'validation.field_pattern': { 'zh-CN': '格式不符合要求', 'en-US': 'Does not match the required format' },
  'validation.field_money': { 'zh-CN': '金额最多两位小数', 'en-US': 'At most two decimals' },
  'validation.field_min': { 'zh-CN': '不能小于 {min}', 'en-US': 'Must be at least {min}' },
  'validation.field_max': { 'zh-CN': '不能大于 {max}', 'en-US': 'Must be at most {max}' },
  'validation.field_choice': { 'zh-CN': '请从选项中选择', 'en-US': 'Choose one of the options' },
  'validation.field_pattern_invalid': { 'zh-CN': '正则表达式无效', 'en-US': 'Not a valid regular expression' },
});

interface Row {
  id: string;
  definition: z.infer<typeof FieldDefinitionInput>;
  version: number;
}

export interface FormsModule {
  http: HttpModule;
  /** Refuses custom field values that break the active definitions of the ticket type (400, field by field). */
  checkTicketFields(db: Executor, ticketType: string, values: Record<string, unknown>): Promise<void>;
  /** Every custom field definition (all ticket types), for the data dictionary. */
  definitions(db: Executor): Promise<FieldDefinition[]>;
}

export function createFormsModule(platform: Platform, access: Access): FormsModule {
  const present = (r: Row) => ({ ...r.definition, id: r.id, version: r.version });
  const list = async (db: Executor, ticketType?: string) =>
    (
      await rows<Row>(
        db,
        sql`select id, definition, version from form_fields
            ${ticketType ? sql`where ticket_type = ${ticketType}` : sql``} order by ticket_type, position, key`,
      )
    ).map(present);
  const patternProblem = (pattern: string | null | undefined) => {
    if (!pattern) return;
    try {
      new RegExp(pattern);
    } catch {
      throw new AppError(400, 'validation.failed', {}, [
        { path: 'pattern', code: 'custom', message: 'validation.field_pattern_invalid' },
      ]);
    }
  };

  return {
    definitions: (db) => list(db) as Promise<FieldDefinition[]>,
    async checkTicketFields(db, ticketType, values) {
      const problems = checkFieldValues(await list(db, ticketType), values);
      if (problems.length > 0)
        throw new AppError(
          400,
          'validation.failed',
          {},
          problems.map((p) => ({ path: `fields.${p.key}`, code: 'custom', message: p.message, params: p.params })),
        );
    },
    http: {
      name: 'forms',
      routes: (app) => {
        const tags = ['forms'];
        app.get(
          '/forms/fields',
          {
            config: needs('ticket', 'read'),
            schema: {
              tags,
              querystring: z.object({ ticketType: FieldDefinitionInput.shape.ticketType.optional() }),
              response: { 200: z.array(FieldDefinition) },
            },
          },
          async (request) => list(platform.db, request.query.ticketType) as never,
        );
        app.post(
          '/forms/fields',
          {
            config: needs('settings', 'update'),
            schema: { tags, body: FieldDefinitionInput, response: { 201: FieldDefinition } },
          },
          async (request, reply) => {
            const input = request.body;
            patternProblem(input.pattern);
            const id = newId();
            const now = platform.clock.now().toISOString();
            await platform.transaction(async (tx) => {
              const [clash] = await rows(
                tx,
                sql`select 1 from form_fields where ticket_type = ${input.ticketType} and key = ${input.key}`,
              );
              if (clash)
                throw new AppError(409, 'resource.duplicate', { field: 'key' }, [
                  { path: 'key', code: 'custom', message: 'resource.duplicate' },
                ]);
              await tx.execute(sql`
                insert into form_fields (id, ticket_type, key, definition, position, active, created_at, updated_at)
                values (${id}, ${input.ticketType}, ${input.key}, ${JSON.stringify(input)}::jsonb, ${input.position},
                        ${input.active}, ${now}, ${now})`);
              await platform.events.append(tx, {
                type: 'form.field_added',
                entityType: 'formField',
                entityId: id,
                actor: eventActor(access.actor(request)),
                data: { ticketType: input.ticketType, key: input.key },
              });
            });
            const [created] = (await list(platform.db)).filter((f) => f.id === id);
            return reply.status(201).send(created as never);
          },
        );
        app.patch(
          '/forms/fields/:id',
          {
            config: needs('settings', 'update'),
            schema: { tags, params: IdParams, body: UpdateFieldDefinition, response: { 200: FieldDefinition } },
          },
          async (request) => {
            const { version, ...patch } = request.body;
            patternProblem(patch.pattern);
            await platform.transaction(async (tx) => {
              const [row] = await rows<Row>(
                tx,
                sql`select id, definition, version from form_fields where id = ${request.params.id} for update`,
              );
              if (!row) throw notFound('formField');
              if (row.version !== version)
                throw new AppError(409, 'resource.stale_version', {}, { currentVersion: row.version });
              const next = { ...row.definition, ...patch };
              await tx.execute(sql`
                update form_fields set definition = ${JSON.stringify(next)}::jsonb, position = ${next.position ?? 0},
                  active = ${next.active ?? true}, version = version + 1, updated_at = ${platform.clock.now().toISOString()}
                where id = ${row.id}`);
              await platform.events.append(tx, {
                type: 'form.field_changed',
                entityType: 'formField',
                entityId: row.id,
                actor: eventActor(access.actor(request)),
                data: { version: version + 1, changed: Object.keys(patch) },
              });
            });
            return (await list(platform.db)).find((f) => f.id === request.params.id) as never;
          },
        );
      },
    },
  };
}
