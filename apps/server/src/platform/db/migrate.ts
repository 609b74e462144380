import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { type Database, rows } from './client';

const MIGRATION_LOCK = 72_000_001;

/** Where the checked-in SQL files live, in source and in the built bundle alike. */
export function defaultMigrationsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, '../../../migrations'), path.resolve(here, '../migrations')]) {
    try {
      readdirSync(candidate);
      return candidate;
    } catch {}
  }
  throw new Error(`migrations directory not found near ${here}`);
}

/** Told after each applied file: a first start applies them all, long enough to want progress. */
export type MigrationProgress = (applied: { file: string; index: number; total: number }) => void;

/**
 * Forward-only: applies every `NNNN_name.sql` not yet recorded, in name order, each in
 * its own transaction together with its bookkeeping row. Applied files are never edited;
 * a changed checksum stops start-up rather than drifting silently.
 */
export async function migrate(
  database: Database,
  dir = defaultMigrationsDir(),
  onApplied?: MigrationProgress,
): Promise<string[]> {
  return database.withLock(MIGRATION_LOCK, async () => {
    await database.exec(
      `create table if not exists schema_migrations (
         name text primary key,
         checksum text not null,
         applied_at timestamptz not null default now()
       )`,
    );
    const applied = new Map(
      (
        await rows<{ name: string; checksum: string }>(database.db, sql`select name, checksum from schema_migrations`)
      ).map((r) => [r.name, r.checksum]),
    );
    const files = readdirSync(dir)
      .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
      .sort();
    const total = files.filter((file) => !applied.has(file)).length;
    const done: string[] = [];
    for (const file of files) {
      const script = readFileSync(path.join(dir, file), 'utf8');
      const checksum = await sha256(script);
      const previous = applied.get(file);
      if (previous !== undefined) {
        if (previous !== checksum) throw new Error(`migration ${file} was changed after it was applied`);
        continue;
      }
      try {
        await database.exec(
          `begin;\n${script}\n;insert into schema_migrations (name, checksum) values ('${file}', '${checksum}');\ncommit;`,
        );
      } catch (error) {
        await database.exec('rollback').catch(() => {});
        throw new Error(`migration ${file} failed: ${(error as Error).message}`, { cause: error });
      }
      done.push(file);
      onApplied?.({ file, index: done.length, total });
    }
    return done;
  });
}

async function sha256(text: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(text).digest('hex');
}
