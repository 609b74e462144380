import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, type DatabaseKind, openDatabase } from '../src/platform/db/client';
import { migrate } from '../src/platform/db/migrate';

/**
 * The backends every data-layer test runs on. PGlite always; PostgreSQL when the test
 * runner found it (TEST_POSTGRES_URL), and CI refuses to run without it (scripts/test.mjs).
 */
export const BACKENDS: DatabaseKind[] = process.env.TEST_POSTGRES_URL ? ['pglite', 'postgres'] : ['pglite'];

let pgliteTemplate: Promise<Blob> | null = null;

/** A fresh, migrated, empty database of the given kind; `close()` drops it. */
export async function freshDatabase(kind: DatabaseKind): Promise<Database & { url?: string }> {
  if (kind === 'pglite') {
    // initdb + migrations once per worker, then each test database starts from the dump (~1 s).
    pgliteTemplate ??= (async () => {
      const db = await openDatabase({ kind: 'pglite' });
      await migrate(db);
      const dump = await db.dump!();
      await db.close();
      return dump;
    })();
    const database = await openDatabase({ kind: 'pglite', loadDataDir: await pgliteTemplate });
    await migrate(database);
    return database;
  }
  const base = process.env.TEST_POSTGRES_URL!;
  const name = `sl_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 10 });
  await migrate(database);
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: base });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
