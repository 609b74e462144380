import { GlobalSearchQuery, GlobalSearchResult, type Resource, type SearchHit } from '@serviceloop/contracts';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/http/actor';
import type { HttpApp } from '../../platform/http/app';
import { AppError } from '../../platform/http/errors';
import type { Platform } from '../../platform/index';
import { devicesMatching } from '../assets/index';
import { contactsNamedLike, customersNamedLike, type NamedRow } from '../customers/index';
import type { Access, Grant } from '../identity/index';
import { type TicketService, ticketScope } from '../tickets/index';
import { pinyinMatch, pinyinQuery } from './pinyin';

/**
 * Names read per group to match by pinyin, in the caller's scope. Pinyin is matched in process
 * (names have no stored pinyin), which is fine for the tens of thousands of customers and contacts
 * an installation has; past this a name is still found by its characters.
 */
const PINYIN_SCAN = 20_000;

type Named = NamedRow;

/** Text hits first, then names matched by pinyin that the text match did not find. */
function merge(text: Named[], named: Named[], q: string, limit: number): (SearchHit & { customerId: string })[] {
  const hits: (SearchHit & { customerId: string })[] = text.map((r) => ({
    id: r.id,
    title: r.name,
    subtitle: r.subtitle,
    customerId: r.customerId,
    matched: 'text',
  }));
  if (pinyinQuery(q)) {
    const seen = new Set(hits.map((h) => h.id));
    for (const r of named) {
      if (hits.length >= limit) break;
      const matched = seen.has(r.id) ? null : pinyinMatch(r.name, q);
      if (matched) hits.push({ id: r.id, title: r.name, subtitle: r.subtitle, customerId: r.customerId, matched });
    }
  }
  return hits.slice(0, limit);
}

export function searchRoutes(platform: Platform, access: Access, tickets: TicketService) {
  const { db } = platform;
  /** The caller's read grant on a resource, or null when they may not read it (the group is left out). */
  const grantOf = (request: FastifyRequest, resource: Resource): Promise<Grant | null> =>
    access.authorize(request, resource, 'read').catch((error: unknown) => {
      if (error instanceof AppError && error.status === 403) return null;
      throw error;
    });

  const customerHits = async (grant: Grant, actor: Actor, q: string, limit: number) => {
    const text = await customersNamedLike(db, grant, actor, q, limit);
    const named = pinyinQuery(q) ? await customersNamedLike(db, grant, actor, undefined, PINYIN_SCAN) : [];
    return merge(text, named, q, limit).map(({ customerId: _, ...hit }) => hit);
  };

  const contactHits = async (grant: Grant, actor: Actor, q: string, limit: number) => {
    const text = await contactsNamedLike(db, grant, actor, q, limit);
    const named = pinyinQuery(q) ? await contactsNamedLike(db, grant, actor, undefined, PINYIN_SCAN) : [];
    return merge(text, named, q, limit);
  };

  return (app: HttpApp) => {
    app.get(
      '/search',
      { schema: { tags: ['search'], querystring: GlobalSearchQuery, response: { 200: GlobalSearchResult } } },
      async (request) => {
        const actor = access.actor(request);
        const { q, limit } = request.query;
        const [ticketGrant, customerGrant, contactGrant, deviceGrant] = await Promise.all(
          (['ticket', 'customer', 'contact', 'device'] as const).map((r) => grantOf(request, r)),
        );
        const result: GlobalSearchResult = {};
        // One after another: on PGlite every query shares the one connection anyway.
        if (ticketGrant) {
          const page = await tickets.list(
            { q, page: 1, pageSize: limit, sort: 'created_desc' },
            ticketScope(ticketGrant, actor),
          );
          result.tickets = page.items.map((t) => ({
            id: t.id,
            title: `${t.number} ${t.title}`,
            subtitle: [t.customerName, t.contactName].filter(Boolean).join(' · ') || null,
            matched: 'text',
          }));
        }
        if (customerGrant) result.customers = await customerHits(customerGrant, actor, q, limit);
        if (contactGrant) result.contacts = await contactHits(contactGrant, actor, q, limit);
        if (deviceGrant) {
          const rows = await devicesMatching(db, deviceGrant, actor, q, limit);
          result.devices = rows.map((d) => ({
            id: d.id,
            title: d.assetCode ? `${d.serialNumber} · ${d.assetCode}` : d.serialNumber,
            subtitle: d.customer,
            matched: 'text',
          }));
        }
        return result;
      },
    );
  };
}
