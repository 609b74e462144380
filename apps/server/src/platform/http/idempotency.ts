import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { type Executor, rows } from '../db/client';
import type { Platform } from '../index';
import { AppError } from './errors';

export interface IdempotentResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Runs a create at most once per `Idempotency-Key` (per caller). The key row is inserted
 * first in a transaction that then runs the create: a concurrent retry waits on it, then replays
 * the stored response; a retry with a different body is refused rather than guessed at.
 *
 * `run` must be atomic on its own (one statement, or its own transaction): without a key it runs
 * directly on the database, saving a begin and a commit per create.
 */
export async function idempotent<T>(
  platform: Platform,
  request: FastifyRequest,
  run: (db: Executor) => Promise<{ status: number; body: T }>,
): Promise<IdempotentResult<T>> {
  const header = request.headers['idempotency-key'];
  if (header === undefined) {
    const result = await run(platform.db);
    platform.dispatcher.kick();
    return { ...result, replayed: false };
  }
  if (typeof header !== 'string' || !KEY.test(header)) {
    throw new AppError(400, 'validation.failed', {}, [
      { path: 'headers.idempotency-key', code: 'invalid_format', message: 'idempotency.key_format' },
    ]);
  }
  const owner = `${request.actor?.userId ?? 'anonymous'}:${request.method} ${request.routeOptions.url}`;
  const hash = createHash('sha256')
    .update(JSON.stringify(request.body ?? null))
    .digest('hex');
  const now = platform.clock.now().toISOString();

  for (let attempt = 0; attempt < 3; attempt++) {
    const outcome = await platform.transaction(async (tx) => {
      const claimed = await rows<{ key: string }>(
        tx,
        sql`insert into idempotency_keys (owner, key, request_hash, created_at) values (${owner}, ${header}, ${hash}, ${now})
            on conflict do nothing returning key`,
      );
      if (claimed.length > 0) {
        const result = await run(tx);
        await tx.execute(sql`update idempotency_keys set status = ${result.status}, body = ${JSON.stringify(result.body)}::jsonb
                             where owner = ${owner} and key = ${header}`);
        return { ...result, replayed: false };
      }
      const [first] = await rows<{ request_hash: string; status: number | null; body: T }>(
        tx,
        sql`select request_hash, status, body from idempotency_keys where owner = ${owner} and key = ${header}`,
      );
      if (!first) return null; // the first attempt rolled back between our insert and select: try again
      if (first.request_hash !== hash) throw new AppError(422, 'idempotency.key_reused');
      return { status: first.status ?? 200, body: first.body, replayed: true };
    });
    if (outcome) return outcome;
  }
  throw new AppError(409, 'resource.conflict');
}
