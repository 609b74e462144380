import {
  Contact,
  CreateContact,
  CreateCustomer,
  CreateSite,
  Customer,
  CustomerQuery,
  maskPhone,
  PageQuery,
  Site,
  UpdateContact,
  UpdateCustomer,
  UpdateSite,
} from '@serviceloop/contracts';
import { desc, eq, type SQL, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Records } from '../../platform/db/records';
import { searchText } from '../../platform/db/records';
import type { HttpApp } from '../../platform/http/app';
import { crudRoutes } from '../../platform/http/crud';
import { AppError } from '../../platform/http/errors';
import { type Access, eventActor, needs, scopeFilter, withoutHidden } from '../identity/index';
import { divisionProblem, isProvince } from './regions';
import { contacts, customers, sites } from './tables';

/** Region scope of a record that belongs to a customer: the customer's region. */
export const customerRegion = (customerId: unknown): SQL =>
  sql`(select c.region_code from customers c where c.id = ${customerId})`;

/** The condition a caller's grant puts on records owned by a customer (children of `customerId`). */
export function ownedByCustomerScope(request: FastifyRequest, access: Access, customerId: unknown): SQL {
  return scopeFilter(request.grant!, access.actor(request), {
    organisation: customerId,
    region: customerRegion(customerId),
  });
}

export const invalid = (path: string, code: string) =>
  new AppError(400, 'validation.failed', {}, [{ path, code, message: code }]);

/** A reference the caller can't see is reported on the field, not as a missing page. */
export async function referenced(lookup: () => Promise<unknown>, path: string): Promise<void> {
  try {
    await lookup();
  } catch (error) {
    if (error instanceof AppError && error.status === 404) throw invalid(path, 'validation.reference');
    throw error;
  }
}

export function customerRoutes(
  access: Access,
  records: { customers: Records<typeof customers>; contacts: Records<typeof contacts>; sites: Records<typeof sites> },
  customerVisible: (request: FastifyRequest, customerId: string) => Promise<void>,
) {
  const actor = (request: FastifyRequest) => eventActor(access.actor(request));
  const hide = <T extends Record<string, unknown>>(row: T, request: FastifyRequest) =>
    withoutHidden(row, request.grant!);
  /** A child record may only be attached to a customer the caller can see. */
  const checkCustomer = async (input: Record<string, unknown>, request: FastifyRequest) => {
    if (typeof input.customerId === 'string')
      await referenced(() => customerVisible(request, input.customerId as string), 'customerId');
    return input;
  };

  return (app: HttpApp) => {
    crudRoutes(app, {
      path: '/customers',
      tag: 'customers',
      records: records.customers,
      dto: Customer,
      create: CreateCustomer,
      update: UpdateCustomer,
      query: CustomerQuery,
      needs: (action) => needs('customer', action),
      scope: (request) =>
        scopeFilter(request.grant!, access.actor(request), {
          organisation: customers.id,
          region: customers.regionCode,
        }),
      present: (row, request) =>
        hide(
          { ...row, createdAt: row.createdAt.toISOString(), updatedAt: undefined } as Record<string, unknown>,
          request,
        ),
      filters: (q) => [
        searchText(q.q as string | undefined, customers.name, customers.creditCode),
        q.tier ? eq(customers.tier, q.tier as string) : undefined,
        q.industry ? eq(customers.industry, q.industry as string) : undefined,
        q.regionCode ? eq(customers.regionCode, q.regionCode as string) : undefined,
      ],
      orderBy: [customers.name],
      actor,
      check: async (input) => {
        if (typeof input.regionCode === 'string' && !isProvince(input.regionCode))
          throw invalid('regionCode', 'validation.region_code');
        return input;
      },
    });

    crudRoutes(app, {
      path: '/contacts',
      tag: 'customers',
      records: records.contacts,
      dto: Contact,
      create: CreateContact,
      update: UpdateContact,
      query: PageQuery.extend({ customerId: z.uuid().optional() }),
      needs: (action) => needs('contact', action),
      scope: (request) => ownedByCustomerScope(request, access, contacts.customerId),
      // Lists show a masked number; a single read shows it in full to whoever may read the contact.
      present: (row, request, view) =>
        hide({ ...row, mobile: view === 'list' ? maskPhone(row.mobile) : row.mobile, createdAt: undefined }, request),
      filters: (q) => [
        searchText(q.q as string | undefined, contacts.name, contacts.mobile, contacts.email),
        q.customerId ? eq(contacts.customerId, q.customerId as string) : undefined,
      ],
      orderBy: [contacts.name],
      actor,
      check: checkCustomer,
    });

    crudRoutes(app, {
      path: '/sites',
      tag: 'customers',
      records: records.sites,
      dto: Site,
      create: CreateSite,
      update: UpdateSite,
      query: PageQuery.extend({ customerId: z.uuid().optional() }),
      needs: (action) => needs('site', action),
      scope: (request) => ownedByCustomerScope(request, access, sites.customerId),
      present: (row, request) => hide({ ...row, createdAt: undefined }, request),
      filters: (q) => [
        searchText(q.q as string | undefined, sites.name, sites.address),
        q.customerId ? eq(sites.customerId, q.customerId as string) : undefined,
      ],
      orderBy: [desc(sites.createdAt)],
      actor,
      check: async (input, request, before) => {
        const merged = { ...before, ...input } as {
          provinceCode?: string;
          cityCode?: string;
          districtCode?: string | null;
        };
        const problem = divisionProblem(merged);
        if (problem) throw invalid(problem, 'validation.division');
        return checkCustomer(input, request);
      },
    });
  };
}
