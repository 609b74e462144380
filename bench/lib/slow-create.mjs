/**
 * Used only by `bench:smoke`'s self-check (BENCH_SMOKE_SLOW_CREATE=<ms>): preloaded into the server,
 * it burns that much CPU before each statement that inserts a ticket, so the guard can be seen to
 * fail on a slowed create without any such knob in the server itself.
 */
import { createRequire } from 'node:module';

const pg = createRequire(`${process.cwd()}/package.json`)('pg');
const burnMs = Number(process.env.BENCH_SMOKE_SLOW_CREATE ?? 0);
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, ...rest) {
  const text = typeof config === 'string' ? config : (config?.text ?? '');
  if (burnMs > 0 && /insert into tickets\b/i.test(text)) {
    const until = performance.now() + burnMs;
    while (performance.now() < until) {}
  }
  return query.call(this, config, ...rest);
};
