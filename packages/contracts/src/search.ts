import { z } from 'zod';

/** The header's global search (Ctrl+K): one query, hits grouped by what they are. */
export const GlobalSearchQuery = z.object({
  q: z.string().trim().min(1).max(100),
  /** Hits per group. */
  limit: z.coerce.number().int().min(1).max(20).default(5),
});
export type GlobalSearchQuery = z.infer<typeof GlobalSearchQuery>;

/** One hit: what to show and where it leads; `matched` says how it was found (e.g. by pinyin). */
export const SearchHit = z.object({
  id: z.uuid(),
  title: z.string(),
  subtitle: z.string().nullable(),
  matched: z.enum(['text', 'pinyin', 'initials']),
});
export type SearchHit = z.infer<typeof SearchHit>;

/** Groups the caller may not read are absent, not empty. */
export const GlobalSearchResult = z.object({
  tickets: z.array(SearchHit).optional(),
  customers: z.array(SearchHit).optional(),
  contacts: z.array(SearchHit.extend({ customerId: z.uuid() })).optional(),
  devices: z.array(SearchHit).optional(),
});
export type GlobalSearchResult = z.infer<typeof GlobalSearchResult>;
