import { GlobalSearchQuery, GlobalSearchResult, type Resource, type SearchHit } from '@serviceloop/contracts';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { searchText } from '../../platform/db/records';
import type { HttpApp } from '../../platform/http/app';
import { AppError } from '../../platform/http/errors';
import type { Platform } from '../../platform/index';
import { devices } from '../assets/index';
import { contacts, customerRegion, customers } from '../customers/index';
import { type Access, type Grant, scopeFilter } from '../identity/index';
import { type TicketService, ticketScope } from '../tickets/index';
import { pinyinMatch, pinyinQuery } from './pinyin';

/**
 * Names read per group to match by pinyin, in the caller's scope. Pinyin is matched in process
 * (names have no stored pinyin), which is fine for the tens of thousands of customers and contacts
 * an installation has; past this a name is still found by its characters.
 */
const PINYIN_SCAN = 20_000;

type Named = { id: string; name: string; subtitle: string | null; customerId: string };

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

  const customerHits = async (where: SQL, q: string, limit: number) => {
    const select = () =>
      db
        .select({ id: customers.id, name: customers.name, subtitle: customers.creditCode, customerId: customers.id })
        .from(customers)
        .orderBy(asc(customers.name));
    const text = await select()
      .where(and(where, searchText(q, customers.name, customers.creditCode)))
      .limit(limit);
    return merge(text, pinyinQuery(q) ? await select().where(where).limit(PINYIN_SCAN) : [], q, limit).map(
      ({ customerId: _, ...hit }) => hit,
    );
  };

  const contactHits = async (where: SQL, q: string, limit: number) => {
    const select = () =>
      db
        .select({ id: contacts.id, name: contacts.name, subtitle: customers.name, customerId: contacts.customerId })
        .from(contacts)
        .innerJoin(customers, eq(customers.id, contacts.customerId))
        .orderBy(asc(contacts.name));
    const text = await select()
      .where(and(where, searchText(q, contacts.name, contacts.mobile, contacts.email)))
      .limit(limit);
    return merge(text, pinyinQuery(q) ? await select().where(where).limit(PINYIN_SCAN) : [], q, limit);
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
        if (customerGrant) {
          const scope = scopeFilter(customerGrant, actor, { organisation: customers.id, region: customers.regionCode });
          result.customers = await customerHits(scope, q, limit);
        }
        if (contactGrant) {
          const scope = scopeFilter(contactGrant, actor, {
            organisation: contacts.customerId,
            region: customerRegion(contacts.customerId),
          });
          result.contacts = await contactHits(scope, q, limit);
        }
        if (deviceGrant) {
          const scope = scopeFilter(deviceGrant, actor, {
            organisation: devices.customerId,
            region: customerRegion(devices.customerId),
          });
          const rows = await db
            .select({
              id: devices.id,
              serialNumber: devices.serialNumber,
              assetCode: devices.assetCode,
              customer: customers.name,
            })
            .from(devices)
            .innerJoin(customers, eq(customers.id, devices.customerId))
            .where(and(scope, searchText(q, devices.serialNumber, devices.assetCode)))
            .orderBy(asc(devices.serialNumber))
            .limit(limit);
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
