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
