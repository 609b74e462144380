/**
 * The configuration registry: every module that keeps configuration in the database contributes
 * sections, and the `config` module exports them as one JSON document and imports such a document
 * into another installation — all sections in one transaction, after a dry run that shows what
 * would change.
 *
 * A section is a list of items named by a natural key (a code, a name, `ticketType/key`), never
 * by a database id: ids differ between installations, keys do not. Import creates and updates;
 * it never deletes what the document does not mention. Most sections are built with
 * `keyedSection`, which only needs to know how to load the items and how to save one.
 *
 * To add a section (e.g. workflows, automation rules): build it in your module with
 * `keyedSection({...})` (or implement `ConfigSection` directly) and call `registry.register(...)`
 * where modules are wired (`modules/index.ts`). Register in dependency order — a section whose
 * items refer to another section's items comes after it, since import runs in registration order.
 */
import type { z } from 'zod';
import type { Executor } from '../../platform/db/client';

/** One thing wrong with an item, `path` relative to the section (e.g. `2.calendar`); `message` is an i18n key. */
export interface SectionProblem {
  path: string;
  message: string;
  params?: Record<string, unknown>;
}

export interface SectionPlan {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** New items that need credentials the document does not carry (see `ImportContext.secrets`). */
  needsSecrets: string[];
  problems: SectionProblem[];
}

export interface ImportContext {
  /** The whole document's sections, parsed — for references between sections. */
  document: Record<string, unknown[]>;
  /** This section's credentials supplied beside the document: item key → { url, secret }. */
  secrets: Record<string, { url?: string; secret?: string }>;
  now: Date;
  actorId: string | null;
}

export interface ConfigSection<Item = unknown> {
  /** `module.things`, e.g. `sla.policies`; the document's `sections` key. */
  key: string;
  titleZh: string;
  titleEn: string;
  /** The shape of one item; the document's section is an array of these. */
  item: z.ZodType<Item>;
  /** The items this installation holds, sorted by key so exports compare line by line. */
  export(db: Executor): Promise<Item[]>;
  /** What importing these items would create, update or leave, and what is wrong with them. */
  plan(db: Executor, items: Item[], context: ImportContext): Promise<SectionPlan>;
  /**
   * Checks that must not run inside the import transaction because they reach beyond it (DNS,
   * the SSRF guard's own queries — PGlite would deadlock): run before the plan, dry run or not.
   */
  verify?(items: Item[], context: ImportContext): Promise<SectionProblem[]>;
  /** Writes the items (only called when the plan has no problems, inside the import transaction). */
  import(tx: Executor, items: Item[], context: ImportContext): Promise<void>;
}

export class ConfigRegistry {
  private readonly sections: ConfigSection<never>[] = [];

  register<Item>(section: ConfigSection<Item>): void {
    if (this.sections.some((s) => s.key === section.key)) throw new Error(`config section ${section.key} twice`);
    this.sections.push(section as unknown as ConfigSection<never>);
  }

  /** In registration (= import) order. */
  list(): ConfigSection<unknown>[] {
    return [...this.sections] as ConfigSection<unknown>[];
  }

  get(key: string): ConfigSection<unknown> | undefined {
    return this.list().find((s) => s.key === key);
  }
}

/** JSON with object keys sorted: two items are the same configuration when these are equal. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export interface KeyedSectionOptions<Item> {
  key: string;
  titleZh: string;
  titleEn: string;
  item: z.ZodType<Item>;
  /** The natural key of an item, unique within the section. */
  keyOf(item: Item): string;
  /** Every item this installation holds, in the export shape. */
  load(db: Executor): Promise<Item[]>;
  /**
   * Problems only the database or other sections can reveal (a calendar code that exists neither
   * here nor in the document). `existing` holds this installation's items by key.
   */
  check?(
    db: Executor,
    items: Item[],
    context: ImportContext,
    existing: Map<string, Item>,
  ): Promise<SectionProblem[]> | SectionProblem[];
  /** See `ConfigSection.verify`. */
  verify?(items: Item[], context: ImportContext): Promise<SectionProblem[]>;
  /** Whether a new item needs credentials supplied beside the document. */
  needsSecret?(item: Item, context: ImportContext): boolean;
  /** The order items are written in, when some refer to others of the same section (parents first). */
  importOrder?(items: Item[]): Item[];
  /** Creates (`before` undefined) or updates one item. */
  save(tx: Executor, item: Item, before: Item | undefined, context: ImportContext): Promise<void>;
}

/** A section of items with natural keys: create the new ones, update the changed ones, keep the rest. */
export function keyedSection<Item>(options: KeyedSectionOptions<Item>): ConfigSection<Item> {
  // Stored items pass through the item schema too, so defaults fill in the same way on both sides
  // of a comparison; an item stored before a schema change is compared as it is.
  const normalised = (i: Item) => {
    const parsed = options.item.safeParse(i);
    return parsed.success ? parsed.data : i;
  };
  const byKey = async (db: Executor) =>
    new Map((await options.load(db)).map((i) => [options.keyOf(i), normalised(i)] as const));
  return {
    key: options.key,
    titleZh: options.titleZh,
    titleEn: options.titleEn,
    item: options.item,
    ...(options.verify ? { verify: options.verify } : {}),
    async export(db) {
      return [...(await byKey(db)).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, i]) => i);
    },
    async plan(db, items, context) {
      const existing = await byKey(db);
      const plan: SectionPlan = { created: [], updated: [], unchanged: [], needsSecrets: [], problems: [] };
      const seen = new Map<string, number>();
      items.forEach((item, index) => {
        const key = options.keyOf(item);
        if (seen.has(key)) {
          plan.problems.push({ path: String(index), message: 'config.duplicate_item', params: { key } });
          return;
        }
        seen.set(key, index);
        const before = existing.get(key);
        if (!before) {
          plan.created.push(key);
          if (options.needsSecret?.(item, context)) {
            plan.needsSecrets.push(key);
            plan.problems.push({ path: String(index), message: 'config.secret_needed', params: { key } });
          }
        } else if (canonical(before) === canonical(item)) plan.unchanged.push(key);
        else plan.updated.push(key);
      });
      plan.problems.push(...((await options.check?.(db, items, context, existing)) ?? []));
      return plan;
    },
    async import(tx, items, context) {
      const existing = await byKey(tx);
      for (const item of options.importOrder?.(items) ?? items) {
        const before = existing.get(options.keyOf(item));
        if (before && canonical(before) === canonical(item)) continue;
        await options.save(tx, item, before, context);
      }
    },
  };
}
