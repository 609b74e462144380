import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { searchText } from '../../platform/db/records';
import type { Actor } from '../../platform/http/actor';
import { type Grant, scopeFilter } from '../identity/index';
import { customerRegion } from './routes';
import { contacts, customers, sites } from './tables';

/**
 * Named reads of customers and their sites for other modules, so none of them queries this
 * module's tables. Reads only, in the caller's transaction.
 */

export type CustomerRow = typeof customers.$inferSelect;
export type SiteRow = typeof sites.$inferSelect;

export async function findCustomer(db: Executor, id: string): Promise<CustomerRow | undefined> {
  const [found] = await db.select().from(customers).where(eq(customers.id, id));
  return found;
}

/** Customer names by id; an unknown id is simply absent. */
export async function customerNames(
  db: Executor,
  ids: Iterable<string | null | undefined>,
): Promise<Map<string, string>> {
  const wanted = [...new Set([...ids].filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map();
  const found = await db
    .select({ id: customers.id, name: customers.name })
    .from(customers)
    .where(inArray(customers.id, wanted));
  return new Map(found.map((c) => [c.id, c.name]));
}

export async function findSite(db: Executor, id: string): Promise<SiteRow | undefined> {
  const [found] = await db.select().from(sites).where(eq(sites.id, id));
  return found;
}

/** The ids of customers whose name contains the text, as a subquery for another module's `in (…)`. */
export const customerIdsNamed = (text: string): SQL =>
  sql`select ${customers.id} from ${customers} where ${searchText(text, customers.name)}`;

/** A customer or contact found by name: the global search's row. */
export interface NamedRow {
  id: string;
  name: string;
  subtitle: string | null;
  customerId: string;
}

/**
 * Customers the grant lets the actor read, by name; with `text`, only those whose name or credit
 * code contains it (without, the names to match by pinyin).
 */
export function customersNamedLike(
  db: Executor,
  grant: Grant,
  actor: Actor,
  text: string | undefined,
  limit: number,
): Promise<NamedRow[]> {
  const scope = scopeFilter(grant, actor, { organisation: customers.id, region: customers.regionCode });
  return db
    .select({ id: customers.id, name: customers.name, subtitle: customers.creditCode, customerId: customers.id })
    .from(customers)
    .where(and(scope, text === undefined ? undefined : searchText(text, customers.name, customers.creditCode)))
    .orderBy(asc(customers.name))
    .limit(limit);
}

/** Contacts the grant lets the actor read, by name; with `text`, those whose name, mobile or e-mail contains it. */
export function contactsNamedLike(
  db: Executor,
  grant: Grant,
  actor: Actor,
  text: string | undefined,
  limit: number,
): Promise<NamedRow[]> {
  const scope = scopeFilter(grant, actor, {
    organisation: contacts.customerId,
    region: customerRegion(contacts.customerId),
  });
  return db
    .select({ id: contacts.id, name: contacts.name, subtitle: customers.name, customerId: contacts.customerId })
    .from(contacts)
    .innerJoin(customers, eq(customers.id, contacts.customerId))
    .where(
      and(scope, text === undefined ? undefined : searchText(text, contacts.name, contacts.mobile, contacts.email)),
    )
    .orderBy(asc(contacts.name))
    .limit(limit);
}

/** The condition the grant puts on customers themselves (the organisation, or its region). */
export const customerScope = (grant: Grant, actor: Actor): SQL =>
  scopeFilter(grant, actor, { organisation: customers.id, region: customers.regionCode });

/** A customer's contacts, or its sites, that the grant lets the actor read. */
export async function contactsOf(db: Executor, customerId: string, grant: Grant, actor: Actor) {
  const scope = scopeFilter(grant, actor, {
    organisation: contacts.customerId,
    region: customerRegion(contacts.customerId),
  });
  return db
    .select()
    .from(contacts)
    .where(and(eq(contacts.customerId, customerId), scope));
}

export async function sitesOf(db: Executor, customerId: string, grant: Grant, actor: Actor) {
  const scope = scopeFilter(grant, actor, { organisation: sites.customerId, region: customerRegion(sites.customerId) });
  return db
    .select()
    .from(sites)
    .where(and(eq(sites.customerId, customerId), scope));
}

/** A site with its customer's name, as the place search offers it. */
export interface SiteWithCustomer {
  name: string;
  customer: string;
  address: string;
  lat: number | null;
  lng: number | null;
  provinceCode: string;
  cityCode: string;
  districtCode: string | null;
}

/** Sites whose name, address or customer's name contains the text (the place search's known places). */
export function sitesMatching(db: Executor, text: string, limit: number): Promise<SiteWithCustomer[]> {
  return db
    .select({
      name: sites.name,
      customer: customers.name,
      address: sites.address,
      lat: sites.lat,
      lng: sites.lng,
      provinceCode: sites.provinceCode,
      cityCode: sites.cityCode,
      districtCode: sites.districtCode,
    })
    .from(sites)
    .innerJoin(customers, eq(customers.id, sites.customerId))
    .where(searchText(text, sites.name, sites.address, customers.name))
    .orderBy(asc(customers.name), asc(sites.name))
    .limit(limit);
}
