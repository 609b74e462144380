/**
 * `npm run openapi`: writes the OpenAPI document the server serves to docs/openapi.json, so a
 * change to the API shows up as a reviewed diff. The application is built on a throwaway
 * in-memory database (migrated, then dropped; no PostgreSQL needed) with the defaults `npm start`
 * uses. The committed document and the generated client types must match what it writes: the
 * tests say so when they do not.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from './platform/config';
import { openDatabase } from './platform/db/client';
import { documentText } from './platform/http/openapi';
import { createServer } from './server';

const COMMITTED_DOCUMENT = path.resolve(import.meta.dirname, '../../../docs/openapi.json');

const dataDir = mkdtempSync(path.join(tmpdir(), 'sl-openapi-'));
try {
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'warn', DATA_DIR: dataDir, SEED_DEMO: 'false' });
  const server = await createServer({ config, database: await openDatabase({ kind: 'pglite' }) });
  writeFileSync(COMMITTED_DOCUMENT, documentText(server.app.swagger()));
  await server.close();
  console.log(`✓ wrote ${path.relative(process.cwd(), COMMITTED_DOCUMENT)}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
