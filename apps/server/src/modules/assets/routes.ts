import {
  CreateContract,
  CreateDevice,
  CreateProductModel,
  Device,
  DeviceAlert,
  DeviceAlertAccepted,
  DeviceQuery,
  IdParams,
  PageQuery,
  ProductCategory,
  ProductModel,
  ServiceContract,
  UpdateContract,
  UpdateDevice,
  UpdateProductModel,
} from '@serviceloop/contracts';
import { desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { searchText } from '../../platform/db/records';
import type { HttpApp } from '../../platform/http/app';
import { crudRoutes } from '../../platform/http/crud';
import type { Platform } from '../../platform/index';
import {
  type CustomersModule,
  customerIdsNamed,
  customerNames,
  findSite,
  invalid,
  ownedByCustomerScope,
  referenced,
} from '../customers/index';
import { type Access, eventActor, needs, withoutHidden } from '../identity/index';
import type { AssetRecords } from './index';
import { devices, productModels, serviceContracts } from './tables';
import { chinaDate, warrantyStatus } from './warranty';

type DeviceRow = typeof devices.$inferSelect;
type ContractRow = typeof serviceContracts.$inferSelect;

export function presentContract(row: ContractRow, today: string) {
  return {
    ...row,
    value: row.value === null ? null : Number(row.value),
    active: row.startsOn <= today && today <= row.endsOn,
  };
}

/** Devices with their model and customer names, looked up for a whole page at once. */
export async function presentDevices(platform: Platform, rows: DeviceRow[]) {
  const modelIds = [...new Set(rows.map((r) => r.modelId))];
  const customerIds = [...new Set(rows.map((r) => r.customerId))];
  const [models, customerName] = await Promise.all([
    modelIds.length
      ? platform.db
          .select({ id: productModels.id, name: productModels.name })
          .from(productModels)
          .where(inArray(productModels.id, modelIds))
      : [],
    customerNames(platform.db, customerIds),
  ]);
  const modelName = new Map(models.map((m) => [m.id, m.name]));
  const today = chinaDate(platform.clock.now());
  return rows.map((r) => ({
    ...r,
    modelName: modelName.get(r.modelId) ?? '',
    customerName: customerName.get(r.customerId) ?? '',
    warrantyStatus: warrantyStatus(r.warrantyEndsOn, today),
    createdAt: r.createdAt.toISOString(),
  }));
}

export function assetRoutes(
  platform: Platform,
  access: Access,
  records: AssetRecords,
  customersModule: CustomersModule,
) {
  const actor = (request: FastifyRequest) => eventActor(access.actor(request));
  const hide = <T extends Record<string, unknown>>(row: T, request: FastifyRequest) =>
    withoutHidden(row, request.grant!);
  const visibleCustomer = (request: FastifyRequest, id: unknown) =>
    typeof id === 'string'
      ? referenced(() => customersModule.customerVisible(request, id), 'customerId')
      : Promise.resolve();

  return (app: HttpApp) => {
    crudRoutes(app, {
      path: '/product-models',
      tag: 'assets',
      records: records.productModels,
      dto: ProductModel,
      create: CreateProductModel,
      update: UpdateProductModel,
      query: PageQuery.extend({ category: ProductCategory.optional() }),
      needs: (action) => needs('productModel', action),
      // The catalogue is not customer data: anyone allowed to read models reads them all.
      scope: () => sql`true`,
      present: (row, request) => hide({ ...row, createdAt: undefined }, request),
      filters: (q) => [
        searchText(q.q as string | undefined, productModels.code, productModels.name, productModels.manufacturer),
        q.category ? eq(productModels.category, q.category as string) : undefined,
      ],
      orderBy: [productModels.code],
      actor,
    });

    crudRoutes(app, {
      path: '/contracts',
      tag: 'assets',
      records: records.contracts,
      dto: ServiceContract,
      create: CreateContract,
      update: UpdateContract,
      query: PageQuery.extend({ customerId: z.uuid().optional() }),
      needs: (action) => needs('contract', action),
      scope: (request) => ownedByCustomerScope(request, access, serviceContracts.customerId),
      present: (row, request) => hide(presentContract(row, chinaDate(platform.clock.now())), request),
      filters: (q) => [
        searchText(q.q as string | undefined, serviceContracts.number),
        q.customerId ? eq(serviceContracts.customerId, q.customerId as string) : undefined,
      ],
      orderBy: [desc(serviceContracts.endsOn)],
      actor,
      check: async (input, request, before) => {
        await visibleCustomer(request, input.customerId);
        const startsOn = (input.startsOn ?? before?.startsOn) as string;
        const endsOn = (input.endsOn ?? before?.endsOn) as string;
        if (endsOn < startsOn) throw invalid('endsOn', 'validation.ends_before_start');
        return input;
      },
    });

    crudRoutes(app, {
      path: '/devices',
      tag: 'assets',
      records: records.devices,
      dto: Device,
      create: CreateDevice,
      update: UpdateDevice,
      query: DeviceQuery,
      needs: (action) => needs('device', action),
      scope: (request) => ownedByCustomerScope(request, access, devices.customerId),
      present: async (row, request) => hide((await presentDevices(platform, [row]))[0]!, request),
      presentPage: async (rows, request) => (await presentDevices(platform, rows)).map((r) => hide(r, request)),
      filters: (q) => {
        const today = chinaDate(platform.clock.now());
        return [
          // A device is also found by its customer's name (the report form's device picker).
          or(
            searchText(q.q as string | undefined, devices.serialNumber, devices.assetCode, devices.batch),
            q.q ? sql`${devices.customerId} in (${customerIdsNamed(q.q as string)})` : undefined,
          ),
          q.customerId ? eq(devices.customerId, q.customerId as string) : undefined,
          q.modelId ? eq(devices.modelId, q.modelId as string) : undefined,
          q.batch ? eq(devices.batch, q.batch as string) : undefined,
          q.warranty === 'in_warranty' ? sql`${devices.warrantyEndsOn} >= ${today}` : undefined,
          q.warranty === 'out_of_warranty' ? sql`${devices.warrantyEndsOn} < ${today}` : undefined,
          q.warranty === 'unknown' ? sql`${devices.warrantyEndsOn} is null` : undefined,
        ];
      },
      orderBy: [desc(devices.createdAt)],
      actor,
      check: (input, request, before) => checkDevice(platform, input, request, before, visibleCustomer),
    });

    // A device's alarm, posted by the device or its monitoring system (an API token with device
    // update): recorded on the device as `telemetry.alert`, which automation rules can act on.
    app.post(
      '/devices/:id/alerts',
      {
        config: needs('device', 'update'),
        schema: {
          tags: ['assets'],
          summary: 'Report a device alarm (emits telemetry.alert)',
          params: IdParams,
          body: DeviceAlert,
          response: { 202: DeviceAlertAccepted },
        },
      },
      async (request, reply) => {
        const device = await records.devices.get(
          request.params.id,
          ownedByCustomerScope(request, access, devices.customerId),
        );
        const eventId = await platform.transaction((tx) =>
          platform.events.append(tx, {
            type: 'telemetry.alert',
            entityType: 'device',
            entityId: device.id,
            actor: actor(request),
            data: { deviceId: device.id, serialNumber: device.serialNumber, ...request.body },
          }),
        );
        return reply.status(202).send({ eventId });
      },
    );
  };
}

/** A device's model must exist, and its site and contract must belong to its customer. */
async function checkDevice(
  platform: Platform,
  input: Record<string, unknown>,
  request: FastifyRequest,
  before: DeviceRow | undefined,
  visibleCustomer: (request: FastifyRequest, id: unknown) => Promise<void>,
) {
  await visibleCustomer(request, input.customerId);
  const customerId = (input.customerId ?? before?.customerId) as string;
  if (typeof input.modelId === 'string') {
    const [model] = await platform.db
      .select({ id: productModels.id })
      .from(productModels)
      .where(eq(productModels.id, input.modelId));
    if (!model) throw invalid('modelId', 'validation.reference');
  }
  const siteId = input.siteId === undefined ? before?.siteId : input.siteId;
  if (siteId) {
    const site = await findSite(platform.db, siteId as string);
    if (site?.customerId !== customerId) throw invalid('siteId', 'validation.not_this_customer');
  }
  const contractId = input.contractId === undefined ? before?.contractId : input.contractId;
  if (contractId) {
    const [contract] = await platform.db
      .select({ customerId: serviceContracts.customerId })
      .from(serviceContracts)
      .where(eq(serviceContracts.id, contractId as string));
    if (contract?.customerId !== customerId) throw invalid('contractId', 'validation.not_this_customer');
  }
  return input;
}
