/**
 * `npm run seed -- --tickets 1000000 --seed 7`: demo master data (if missing), then scaled master
 * data and N historical tickets in bulk, deterministic for a given seed. Uses DATABASE_URL, or the
 * embedded database under DATA_DIR like `npm start`.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config';
import { createServer } from '../server';
import { seedDemoOnce } from './demo';
import { generateHistory } from './history';
import { Random } from './random';
import { ensureScale } from './scale';

const { values } = parseArgs({
  options: { tickets: { type: 'string', default: '10000' }, seed: { type: 'string', default: '2026' } },
});
const tickets = Number(values.tickets);
const seed = Number(values.seed);
if (!Number.isInteger(tickets) || tickets < 0 || !Number.isInteger(seed)) {
  console.error('usage: npm run seed -- --tickets N [--seed S]');
  process.exit(2);
}

const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
const server = await createServer({ config });
const started = performance.now();
const log = (m: string) => console.log(`  ${((performance.now() - started) / 1000).toFixed(1)}s  ${m}`);
await server.modules.identity.service.ensureAdmin(config.adminPassword);
await seedDemoOnce(server);
const rng = new Random(seed);
await ensureScale(server.platform.db, tickets, rng, log);
const written = await generateHistory(server.platform.db, { tickets, seed, log });
log(`done: ${written} tickets on ${server.platform.database.kind}`);
await server.close();
