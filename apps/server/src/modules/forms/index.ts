/**
 * forms — custom fields that administrators add to a ticket type's report form. Definitions are
 * data (table `form_fields`); the same check (`checkFieldValues` in the contracts) runs in the
 * browser and here, on every ticket created through the API.
 */
import {
  attachmentIds,
  checkFieldValues,
  definitionProblems,
  FieldDefinition,
  FieldDefinitionInput,
  IdParams,
  UpdateFieldDefinition,
} from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Executor, rows, uuidArray } from '../../platform/db/client';
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
  'validation.field_max_files': { 'zh-CN': '最多 {max} 个文件', 'en-US': 'At most {max} files' },
  'validation.field_location': {
    'zh-CN': '位置须有纬度（±90）和经度（±180），地址最多 200 字',
    'en-US': 'A location needs a latitude (±90) and a longitude (±180); the address has at most 200 characters',
  },
  'validation.field_signature': { 'zh-CN': '签名须为 PNG 图片', 'en-US': 'The signature must be a PNG image' },
  'validation.field_reference_missing': {
    'zh-CN': '引用的记录不存在',
    'en-US': 'The referenced record does not exist',
  },
  'validation.field_attachment_missing': {
    'zh-CN': '附件不存在、不是您上传的，或已属于其他工单',
    'en-US': 'The attachment does not exist, was not uploaded by you, or belongs to another ticket',
  },
});

/** The table a reference field's value must name a row of. */
const REFERENCE_TABLES = { customer: sql`customers`, device: sql`devices`, part: sql`parts` } as const;

interface Row {
  id: string;
  definition: z.infer<typeof FieldDefinitionInput>;
  version: number;
}

export interface FormsModule {
  http: HttpModule;
  /** Keys of the type's active custom fields (what a workflow transition may require). */
  fieldKeys(db: Executor, ticketType: string): Promise<string[]>;
  /**
   * Refuses custom field values that break the active definitions of the ticket type (400, field
   * by field): the shared check, then what only the server can know — referenced customers,
   * devices and parts exist, named attachments are the caller's own unclaimed uploads.
   */
  checkTicketFields(
    db: Executor,
    ticketType: string,
    values: Record<string, unknown>,
    uploaderId?: string | null,
    ticketId?: string,
  ): Promise<void>;
  /**
   * The same check for values changed on an existing ticket (an automation rule's set-field): the
   * changed keys only are judged — against all of the ticket's values, for conditional fields —
   * since the others were accepted when they were written, under the definitions of that time.
   */
  checkChangedFields(
    db: Executor,
    ticketType: string,
    values: Record<string, unknown>,
    changed: string[],
    ticketId: string,
  ): Promise<void>;
  /** Gives the ticket the uploads its attachment fields name (in the ticket's creating transaction). */
  claimAttachments(db: Executor, ticketType: string, ticketId: string, values: Record<string, unknown>): Promise<void>;
  /** The field definitions of a ticket type (all types when none is given), in form order. */
  list(db: Executor, ticketType?: string): Promise<Definition[]>;
  /** Every custom field definition (all ticket types), for the data dictionary. */
  definitions(db: Executor): Promise<Definition[]>;
}

type Definition = z.infer<typeof FieldDefinition>;

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
  const definitionRefused = (definition: Parameters<typeof definitionProblems>[0]) => {
    const problems = definitionProblems(definition);
    if (problems.length > 0)
      throw new AppError(
        400,
        'validation.failed',
        {},
        problems.map((p) => ({ ...p, code: 'custom' })),
      );
  };
  /**
   * Values the shared check accepted that name rows which are not there, or uploads that are neither
   * the caller's unclaimed ones nor already the ticket's own (a later transition re-checks them).
   */
  const missingRows = async (
    db: Executor,
    definitions: Definition[],
    values: Record<string, unknown>,
    uploaderId: string | null | undefined,
    ticketId: string | undefined,
  ) => {
    const problems: { key: string; message: string }[] = [];
    for (const d of definitions.filter((f) => f.active && values[f.key] !== undefined && values[f.key] !== null)) {
      if (d.kind === 'reference' && d.reference) {
        const [found] = await rows(db, sql`select 1 from ${REFERENCE_TABLES[d.reference]} where id = ${values[d.key]}`);
        if (!found) problems.push({ key: d.key, message: 'validation.field_reference_missing' });
      }
      const ids = attachmentIds(d.kind, values[d.key]);
      if (ids.length > 0) {
        const [{ n } = { n: 0 }] = await rows<{ n: number }>(
          db,
          sql`select count(*)::int as n from attachments
              where id = any(${uuidArray(ids)})
                and ((ticket_id is null and uploaded_by = ${uploaderId ?? null}) or ticket_id = ${ticketId ?? null})`,
        );
        if (n !== new Set(ids).size) problems.push({ key: d.key, message: 'validation.field_attachment_missing' });
      }
    }
    return problems;
  };

  /** The shared check, then the rows and uploads values name; `only` limits it to those keys. */
  const checkFields = async (
    db: Executor,
    ticketType: string,
    values: Record<string, unknown>,
    uploaderId: string | null | undefined,
    ticketId: string | undefined,
    only?: Set<string>,
  ) => {
    const definitions = await list(db, ticketType);
    const judged = (p: { key: string }) => !only || only.has(p.key);
    const shaped = checkFieldValues(definitions, values).filter(judged);
    const problems =
      shaped.length > 0
        ? shaped
        : await missingRows(db, only ? definitions.filter(judged) : definitions, values, uploaderId, ticketId);
    if (problems.length > 0)
      throw new AppError(
        400,
        'validation.failed',
        {},
        problems.map((p) => ({
          path: `fields.${p.key}`,
          code: 'custom',
          message: p.message,
          // The error handler fills a message's {placeholders} from the detail itself.
          ...('params' in p ? (p.params as Record<string, unknown>) : {}),
        })),
      );
  };

  return {
    fieldKeys: async (db, ticketType) => (await list(db, ticketType)).filter((f) => f.active).map((f) => f.key),
    list,
    definitions: (db) => list(db),
    checkTicketFields: (db, ticketType, values, uploaderId, ticketId) =>
      checkFields(db, ticketType, values, uploaderId, ticketId),
    checkChangedFields: (db, ticketType, values, changed, ticketId) =>
      checkFields(db, ticketType, values, null, ticketId, new Set(changed)),
    async claimAttachments(db, ticketType, ticketId, values) {
      // Most reports carry no custom values: nothing can name an upload, so no definitions to read.
      if (!values || Object.keys(values).length === 0) return;
      const ids = (await list(db, ticketType)).flatMap((d) => attachmentIds(d.kind, values[d.key]));
      if (ids.length === 0) return;
      const claimed = await rows(
        db,
        sql`update attachments set ticket_id = ${ticketId}
            where id = any(${uuidArray(ids)}) and ticket_id is null returning id`,
      );
      // Another report claimed one of them since the check: refuse rather than share a file.
      if (claimed.length !== new Set(ids).size)
        throw new AppError(409, 'validation.failed', {}, [
          { path: 'fields', code: 'custom', message: 'validation.field_attachment_missing' },
        ]);
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
            definitionRefused(input);
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
            await platform.transaction(async (tx) => {
              const [row] = await rows<Row>(
                tx,
                sql`select id, definition, version from form_fields where id = ${request.params.id} for update`,
              );
              if (!row) throw notFound('formField');
              if (row.version !== version)
                throw new AppError(409, 'resource.stale_version', {}, { currentVersion: row.version });
              const next = { ...row.definition, ...patch };
              definitionRefused(next);
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
