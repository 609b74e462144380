import { Readable } from 'node:stream';
import { IdParams, pageOf } from '@serviceloop/contracts';
import type { SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Records } from '../db/records';
import type { EventActor } from '../events/event-log';
import type { HttpApp } from './app';

type Row<T extends PgTable> = T['$inferSelect'];
type Action = 'read' | 'create' | 'update' | 'delete' | 'export';

/**
 * The five routes of a versioned master-data record (list, read, create, update, delete),
 * declared once. Permission, data scope and hidden fields come from the caller, so the
 * platform stays ignorant of the policy while every route still enforces it.
 */
export interface CrudSpec<T extends PgTable & { id: PgColumn; version: PgColumn }> {
  path: string;
  tag: string;
  records: Records<T>;
  dto: z.ZodType;
  create: z.ZodType;
  update: z.ZodType;
  query: z.ZodObject;
  /** Route config declaring the permission (the identity module's `needs`). */
  needs: (action: Action) => Record<string, unknown>;
  /** The scope condition for the caller and action, and the fields to hide from them. */
  scope: (request: FastifyRequest) => SQL;
  present: (row: Row<T>, request: FastifyRequest, view: 'list' | 'detail') => unknown;
  /** Presents a whole page at once, when presenting needs lookups better done in one query. */
  presentPage?: (rows: Row<T>[], request: FastifyRequest) => Promise<unknown[]>;
  filters: (query: Record<string, unknown>) => (SQL | undefined)[];
  orderBy: (SQL | PgColumn)[];
  actor: (request: FastifyRequest) => EventActor;
  /** Checks references (and anything else the schema can't) before a write; throws AppError. */
  check?: (
    input: Record<string, unknown>,
    request: FastifyRequest,
    before?: Row<T>,
  ) => Promise<Record<string, unknown>>;
}

export function crudRoutes<T extends PgTable & { id: PgColumn; version: PgColumn }>(
  app: HttpApp,
  spec: CrudSpec<T>,
): void {
  const tags = [spec.tag];
  const check = spec.check ?? (async (input) => input);

  app.get(
    spec.path,
    { config: spec.needs('read'), schema: { tags, querystring: spec.query, response: { 200: pageOf(spec.dto) } } },
    async (request) => {
      const query = request.query as { page: number; pageSize: number } & Record<string, unknown>;
      const { rows, total } = await spec.records.list({
        where: [spec.scope(request), ...spec.filters(query)],
        orderBy: spec.orderBy,
        page: query.page,
        pageSize: query.pageSize,
      });
      const items = spec.presentPage
        ? await spec.presentPage(rows, request)
        : await Promise.all(rows.map((row) => spec.present(row, request, 'list')));
      return { items, total, page: query.page, pageSize: query.pageSize } as never;
    },
  );

  // CSV of everything the caller may export that matches the filters, streamed page by page
  // so a large export never sits in memory. Same scope and hidden fields as the list.
  app.get(
    `${spec.path}/export.csv`,
    { config: spec.needs('export'), schema: { tags, querystring: spec.query.omit({ page: true, pageSize: true }) } },
    async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const where = [spec.scope(request), ...spec.filters(query)];
      const name = spec.path.slice(1);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${name}.csv"`);
      const rows = async function* () {
        let header: string[] | null = null;
        for (let page = 1; ; page++) {
          const { rows } = await spec.records.list({
            where,
            orderBy: [...spec.orderBy, spec.records.idColumn],
            page,
            pageSize: 500,
          });
          const items = (
            spec.presentPage
              ? await spec.presentPage(rows, request)
              : await Promise.all(rows.map((row) => spec.present(row, request, 'list')))
          ) as Record<string, unknown>[];
          if (!header) {
            header = Object.keys(items[0] ?? {}).filter((k) => items[0]?.[k] !== undefined);
            // A UTF-8 BOM so Excel opens Chinese text correctly.
            yield `\uFEFF${header.join(',')}\n`;
          }
          for (const item of items) yield `${header.map((k) => csvCell(item[k])).join(',')}\n`;
          if (rows.length < 500) return;
        }
      };
      return reply.send(Readable.from(rows()));
    },
  );

  app.get(
    `${spec.path}/:id`,
    { config: spec.needs('read'), schema: { tags, params: IdParams, response: { 200: spec.dto } } },
    async (request) =>
      (await spec.present(await spec.records.get(request.params.id, spec.scope(request)), request, 'detail')) as never,
  );

  app.post(
    spec.path,
    { config: spec.needs('create'), schema: { tags, body: spec.create, response: { 201: spec.dto } } },
    async (request, reply) => {
      const values = await check(request.body as Record<string, unknown>, request);
      const row = await spec.records.create(values as never, spec.actor(request));
      return reply.status(201).send((await spec.present(row, request, 'detail')) as never);
    },
  );

  app.patch(
    `${spec.path}/:id`,
    {
      config: spec.needs('update'),
      schema: { tags, params: IdParams, body: spec.update, response: { 200: spec.dto } },
    },
    async (request) => {
      const { version, ...patch } = request.body as { version: number } & Record<string, unknown>;
      const scope = spec.scope(request);
      const before = await spec.records.get(request.params.id, scope);
      const values = await check(patch, request, before);
      const row = await spec.records.update(request.params.id, version, values as never, spec.actor(request), scope);
      return (await spec.present(row, request, 'detail')) as never;
    },
  );

  app.delete(
    `${spec.path}/:id`,
    { config: spec.needs('delete'), schema: { tags, params: IdParams, response: { 204: z.null().optional() } } },
    async (request, reply) => {
      await spec.records.remove(request.params.id, spec.actor(request), spec.scope(request));
      return reply.status(204).send(null);
    },
  );
}

/** RFC 4180 quoting; a leading =, +, - or @ is defused so a spreadsheet never runs it as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
