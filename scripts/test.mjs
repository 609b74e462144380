#!/usr/bin/env node
// `npm test`: every suite that can run on this machine, after the same set-up as `npm start`
// (install, and build for the browser suite). Under CI=true the PostgreSQL and browser suites are
// required: missing PostgreSQL or Chromium fails the run, never skips it.
// `npm test -- <files>` runs just those: *.e2e.ts files in the browser suite, the others as unit tests.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ensureBuilt, ensureInstalled, root } from './setup.mjs';

ensureInstalled();
const ci = process.env.CI === 'true' || process.env.CI === '1';
const pgUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function reachable(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 5432) });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const env = { ...process.env };
const withPostgres = await reachable(pgUrl);
if (withPostgres) env.TEST_POSTGRES_URL = pgUrl;
else if (ci) {
  console.error(`✗ PostgreSQL is required under CI and is unreachable at ${pgUrl}`);
  process.exit(1);
} else console.warn(`! PostgreSQL unreachable at ${pgUrl}: data-layer tests run on PGlite only`);

const withBrowser = existsSync(chromium);
if (!withBrowser && ci) {
  console.error(`✗ Chromium is required under CI and is missing at ${chromium}`);
  process.exit(1);
} else if (!withBrowser)
  console.warn(`! Chromium missing at ${chromium}: browser tests not run (apt-get install chromium)`);

const vitest = path.join(root, 'node_modules/vitest/vitest.mjs');
const run = (args, extraEnv = {}) =>
  spawnSync(process.execPath, [vitest, 'run', ...args], { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } })
    .status;

const given = process.argv.slice(2);
const browserArgs = given.filter((arg) => arg.endsWith('.e2e.ts'));
const unitArgs = given.filter((arg) => !arg.endsWith('.e2e.ts'));
const everything = given.length === 0;

let failed = false;
if (everything || unitArgs.length > 0) {
  console.log(`› Unit and data-layer tests (PGlite${withPostgres ? ' + PostgreSQL' : ''})`);
  failed = run(unitArgs) !== 0;
}
if (withBrowser && !failed && (everything || browserArgs.length > 0)) {
  console.log('› Browser tests (Chromium)');
  ensureBuilt();
  failed = run(['--config', 'tests/e2e/vitest.config.ts', ...browserArgs], { CHROMIUM_PATH: chromium }) !== 0;
}
process.exit(failed ? 1 : 0);
