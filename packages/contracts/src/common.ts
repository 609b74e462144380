import { z } from 'zod';

export const Id = z.uuid();
export const IdParams = z.object({ id: z.uuid() });

/** Paging for every list endpoint: page is 1-based, pageSize capped so a list can't be a dump. */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  q: z.string().trim().max(200).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

export const Locale = z.enum(['zh-CN', 'en-US']);
export type Locale = z.infer<typeof Locale>;

/** Optimistic concurrency: every update names the version it was based on. */
export const Versioned = z.object({ version: z.number().int().min(1) });

export const Timestamp = z.string().describe('ISO 8601 timestamp');

type WithoutDefault<T> = T extends z.ZodDefault<infer Inner> ? Inner : T extends z.ZodPrefault<infer Inner> ? Inner : T;
type PatchShape<S extends z.ZodRawShape> = { [K in keyof S]: z.ZodOptional<WithoutDefault<S[K]>> };

/**
 * The PATCH body of a resource, derived from its create schema: every field optional and
 * *without its default*, plus the version the change was based on. zod's `.partial()` keeps
 * defaults, so a PATCH built with it would reset every defaulted field it did not send
 * (a renamed VIP customer became standard). Refinements are the caller's to re-add.
 */
export function patchOf<S extends z.ZodRawShape>(create: z.ZodObject<S>) {
  const shape = Object.fromEntries(
    Object.entries(create.shape).map(([key, field]) => {
      const bare = field instanceof z.ZodDefault || field instanceof z.ZodPrefault ? field.unwrap() : field;
      return [key, (bare as z.ZodType).optional()];
    }),
  ) as unknown as PatchShape<S>;
  return z.object(shape).extend(Versioned.shape);
}
