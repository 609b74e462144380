import {
  DEFAULT_POLICY,
  DEFAULT_RETENTION,
  type PasswordPolicy,
  PolicyRule,
  RetentionSettings,
} from '@serviceloop/contracts';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Clock } from '../../platform/clock';
import type { Executor } from '../../platform/db/client';
import { DEFAULT_PASSWORD_POLICY } from './passwords';
import { settings } from './tables';

const DOCUMENTS = {
  policy: { parse: (v: unknown) => z.array(PolicyRule).parse(v), fallback: DEFAULT_POLICY },
  passwordPolicy: { parse: (v: unknown) => v as PasswordPolicy, fallback: DEFAULT_PASSWORD_POLICY },
  // A setting added in a later version reads as its default in a document saved before it.
  retention: {
    parse: (v: unknown) => ({ ...DEFAULT_RETENTION, ...RetentionSettings.partial().parse(v) }),
    fallback: DEFAULT_RETENTION,
  },
};
type Key = keyof typeof DOCUMENTS;
type Value<K extends Key> = (typeof DOCUMENTS)[K]['fallback'];

/** How long a replica may serve a settings document another replica has since changed. */
const CACHE_MS = 5_000;

/**
 * Versioned settings documents with a short cache: read on every request (the policy),
 * written rarely by admins. A document never saved reads as its default.
 */
export class SettingsStore {
  private cache = new Map<Key, { value: unknown; version: number; at: number }>();

  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
  ) {}

  /** `via`: the transaction to read in when the caller holds one (PGlite has a single connection). */
  async get<K extends Key>(key: K, via: Executor = this.db): Promise<{ value: Value<K>; version: number }> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return { value: hit.value as Value<K>, version: hit.version };
    const [row] = await via.select().from(settings).where(eq(settings.key, key));
    const entry = row
      ? { value: DOCUMENTS[key].parse(row.value), version: row.version }
      : { value: DOCUMENTS[key].fallback, version: 0 };
    this.cache.set(key, { ...entry, at: Date.now() });
    return entry as { value: Value<K>; version: number };
  }

  async put<K extends Key>(tx: Executor, key: K, value: Value<K>): Promise<number> {
    const now = this.clock.now();
    const [row] = await tx
      .insert(settings)
      .values({ key, value, version: 1, updatedAt: now })
      .onConflictDoUpdate({
        target: settings.key,
        set: { value, updatedAt: now, version: sql`${settings.version} + 1` },
      })
      .returning({ version: settings.version });
    this.cache.delete(key);
    return row!.version;
  }
}
