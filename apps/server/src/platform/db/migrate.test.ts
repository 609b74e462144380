import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase } from '../../../test/databases';
import { type Database, rows } from './client';
import { defaultMigrationsDir, migrate } from './migrate';

describe.each(BACKENDS)('migrations on %s', (kind) => {
  let database: Database;
  beforeEach(async () => {
    database = await freshDatabase(kind);
  });
  afterEach(async () => {
    await database.close();
  });

  it('records every checked-in migration once and re-running applies nothing', async () => {
    const files = readdirSync(defaultMigrationsDir()).filter((f) => f.endsWith('.sql'));
    const applied = await rows<{ name: string }>(database.db, sql`select name from schema_migrations order by name`);
    expect(applied.map((r) => r.name)).toEqual(files.sort());
    expect(await migrate(database)).toEqual([]);
  });

  it('applies a failing migration not at all, and refuses an edited one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sl-migrations-'));
    writeFileSync(path.join(dir, '0001_ok.sql'), 'create table t_ok (id int);');
    writeFileSync(path.join(dir, '0002_bad.sql'), 'create table t_half (id int); select no_such_function();');
    await expect(migrate(database, dir)).rejects.toThrow(/0002_bad.sql failed/);
    const tables = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from information_schema.tables where table_name in ('t_ok', 't_half')`,
    );
    expect(tables[0]!.n).toBe(1); // 0001 stayed, 0002 left nothing behind
    writeFileSync(path.join(dir, '0002_bad.sql'), 'select 1;');
    writeFileSync(path.join(dir, '0003_more.sql'), 'select 2;');
    const progress: unknown[] = [];
    expect(await migrate(database, dir, (step) => progress.push(step))).toEqual(['0002_bad.sql', '0003_more.sql']);
    // Counted over the pending files only: what a first start prints as "migration n/N".
    expect(progress).toEqual([
      { file: '0002_bad.sql', index: 1, total: 2 },
      { file: '0003_more.sql', index: 2, total: 2 },
    ]);
    writeFileSync(path.join(dir, '0001_ok.sql'), 'create table t_ok (id bigint);');
    await expect(migrate(database, dir)).rejects.toThrow(/changed after it was applied/);
  });
});
