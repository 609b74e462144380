import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase } from '../../../test/databases';
import { loadConfig } from '../config';
import { type Database, rows } from '../db/client';
import { createPlatform } from '../index';
import { handleError } from './error-handler';
import { idempotent } from './idempotency';

describe.each(BACKENDS)('Idempotency-Key on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;

  beforeEach(async () => {
    database = await freshDatabase(kind);
    await database.exec('create table orders (id serial primary key, item text)');
    const platform = createPlatform({ config: loadConfig({ LOG_LEVEL: 'silent' }), database });
    app = Fastify();
    app.setErrorHandler(handleError);
    app.post('/orders', async (request, reply) => {
      const result = await idempotent(platform, request, async (tx) => {
        const [row] = await rows<{ id: number }>(
          tx,
          sql`insert into orders (item) values (${(request.body as { item: string }).item}) returning id`,
        );
        await new Promise((r) => setTimeout(r, 20)); // widen the race window
        return { status: 201, body: { id: row!.id } };
      });
      return reply.status(result.status).header('idempotent-replayed', String(result.replayed)).send(result.body);
    });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    await database.close();
  });

  const post = (item: string, key?: string) =>
    app.inject({ method: 'POST', url: '/orders', payload: { item }, headers: key ? { 'idempotency-key': key } : {} });

  it('creates once under concurrent retries and replays the first response', async () => {
    const responses = await Promise.all(Array.from({ length: 12 }, () => post('曳引机', 'retry-abc-1')));
    expect(new Set(responses.map((r) => r.statusCode))).toEqual(new Set([201]));
    expect(new Set(responses.map((r) => r.json().id)).size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'false')).toHaveLength(1);
    const [{ n }] = (await rows<{ n: number }>(database.db, sql`select count(*)::int as n from orders`)) as [
      { n: number },
    ];
    expect(n).toBe(1);
  });

  it('creates again without a key, and refuses a key reused for another body', async () => {
    expect((await post('a')).json().id).not.toBe((await post('a')).json().id);
    expect((await post('b', 'k-2')).statusCode).toBe(201);
    const reused = await post('c', 'k-2');
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('idempotency.key_reused');
    expect((await post('d', 'bad key with spaces')).statusCode).toBe(400);
  });
});
