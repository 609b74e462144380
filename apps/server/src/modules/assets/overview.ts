import { CustomerOverview, DeviceOverview, IdParams } from '@serviceloop/contracts';
import { and, desc, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { events } from '../../platform/events/tables';
import type { HttpApp } from '../../platform/http/app';
import type { Platform } from '../../platform/index';
import {
  type CustomersModule,
  contactsOf,
  customerScope,
  findCustomer,
  findSite,
  ownedByCustomerScope,
  sitesOf,
} from '../customers/index';
import { type Access, needs, withoutHidden } from '../identity/index';
import type { AssetRecords } from './index';
import { presentContract, presentDevices } from './routes';
import { devices, productModels, serviceContracts } from './tables';
import { chinaDate } from './warranty';

async function history(platform: Platform, entityType: string, entityId: string) {
  const rows = await platform.db
    .select()
    .from(events)
    .where(and(eq(events.entityType, entityType), eq(events.entityId, entityId)))
    .orderBy(desc(events.seq))
    .limit(50);
  return rows.map((e) => ({
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    type: e.type,
    actorId: e.actorId,
    changes: e.changes as Record<string, unknown>,
  }));
}

/**
 * The 360° views: everything about one customer or one device on one page. Each section is
 * read under the caller's own grant for that resource, so a section they may not read is empty
 * and hidden fields stay hidden.
 */
export function overviewRoutes(
  platform: Platform,
  access: Access,
  records: AssetRecords,
  customersModule: CustomersModule,
) {
  const grantOrNull = (request: FastifyRequest, resource: 'contact' | 'site' | 'device' | 'contract') =>
    access.authorize(request, resource, 'read').catch(() => null);
  const today = () => chinaDate(platform.clock.now());

  return (app: HttpApp) => {
    app.get(
      '/customers/:id/overview',
      {
        config: needs('customer', 'read'),
        schema: { tags: ['customers'], params: IdParams, response: { 200: CustomerOverview } },
      },
      async (request) => {
        const actor = access.actor(request);
        const customer = await customersModule.records.customers.get(
          request.params.id,
          customerScope(request.grant!, actor),
        );
        const id = customer.id;
        const [contactGrant, siteGrant, deviceGrant, contractGrant] = await Promise.all(
          (['contact', 'site', 'device', 'contract'] as const).map((r) => grantOrNull(request, r)),
        );
        const section = async <T>(grant: unknown, load: () => Promise<T[]>) => (grant ? load() : []);
        const [contactRows, siteRows, deviceRows, contractRows] = await Promise.all([
          section(contactGrant, () => contactsOf(platform.db, id, contactGrant!, actor)),
          section(siteGrant, () => sitesOf(platform.db, id, siteGrant!, actor)),
          section(deviceGrant, () =>
            platform.db
              .select()
              .from(devices)
              .where(and(eq(devices.customerId, id), ownedBy(request, deviceGrant, devices.customerId)))
              .orderBy(desc(devices.createdAt))
              .limit(200),
          ),
          section(contractGrant, () =>
            platform.db
              .select()
              .from(serviceContracts)
              .where(
                and(eq(serviceContracts.customerId, id), ownedBy(request, contractGrant, serviceContracts.customerId)),
              ),
          ),
        ]);
        const hide = <T extends Record<string, unknown>>(row: T, grant: unknown) =>
          withoutHidden(row, grant as Parameters<typeof withoutHidden>[1]);
        return {
          customer: withoutHidden({ ...customer, createdAt: customer.createdAt.toISOString() }, request.grant!),
          contacts: contactRows.map((c) => hide(c, contactGrant)),
          sites: siteRows.map((s) => hide(s, siteGrant)),
          devices: (await presentDevices(platform, deviceRows)).map((d) => hide(d, deviceGrant)),
          contracts: contractRows.map((c) => hide(presentContract(c, today()), contractGrant)),
          counts: {
            contacts: contactRows.length,
            sites: siteRows.length,
            devices: deviceRows.length,
            contracts: contractRows.length,
          },
          history: await history(platform, 'customer', id),
        } as never;
      },
    );

    app.get(
      '/devices/:id/overview',
      {
        config: needs('device', 'read'),
        schema: { tags: ['assets'], params: IdParams, response: { 200: DeviceOverview } },
      },
      async (request) => {
        const device = await records.devices.get(
          request.params.id,
          ownedByCustomerScope(request, access, devices.customerId),
        );
        const [presented] = await presentDevices(platform, [device]);
        const [model] = await platform.db.select().from(productModels).where(eq(productModels.id, device.modelId));
        const customer = await findCustomer(platform.db, device.customerId);
        const site = device.siteId ? await findSite(platform.db, device.siteId) : undefined;
        const [contract] = device.contractId
          ? await platform.db.select().from(serviceContracts).where(eq(serviceContracts.id, device.contractId))
          : [];
        const contractGrant = await grantOrNull(request, 'contract');
        return {
          device: withoutHidden(presented!, request.grant!),
          model: model!,
          customer: { ...customer!, createdAt: customer!.createdAt.toISOString() },
          site: site ?? null,
          contract: contract && contractGrant ? withoutHidden(presentContract(contract, today()), contractGrant) : null,
          history: await history(platform, 'device', device.id),
        } as never;
      },
    );
  };

  function ownedBy(request: FastifyRequest, grant: unknown, column: unknown) {
    const saved = request.grant;
    request.grant = grant as typeof saved;
    try {
      return ownedByCustomerScope(request, access, column);
    } finally {
      request.grant = saved;
    }
  }
}
