import {
  CreatePart,
  CreateWarehouse,
  Part,
  PartQuery,
  UpdatePart,
  UpdateWarehouse,
  Warehouse,
  WarehouseQuery,
} from '@serviceloop/contracts';
import { eq, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { searchText } from '../../platform/db/records';
import type { HttpApp } from '../../platform/http/app';
import { crudRoutes } from '../../platform/http/crud';
import type { Platform } from '../../platform/index';
import { existingModelIds } from '../assets/index';
import { invalid } from '../customers/index';
import { type Access, eventActor, needs, userStanding, withoutHidden } from '../identity/index';
import type { PartsRecords } from './index';
import { parts, warehouses } from './tables';

type PartRow = typeof parts.$inferSelect;
type WarehouseRow = typeof warehouses.$inferSelect;

const presentPart = (r: PartRow): Part => ({
  id: r.id,
  sku: r.sku,
  nameZh: r.nameZh,
  nameEn: r.nameEn,
  compatibleModelIds: r.compatibleModelIds,
  unitCostFen: r.unitCostFen,
  unit: r.unit,
  serialTracked: r.serialTracked,
  active: r.active,
  version: r.version,
});

const presentWarehouse = (r: WarehouseRow): Warehouse => ({
  id: r.id,
  code: r.code,
  name: r.name,
  kind: r.kind as Warehouse['kind'],
  regionCode: r.regionCode,
  ownerUserId: r.ownerUserId,
  active: r.active,
  version: r.version,
});

/** The catalogue and the warehouses: versioned master data with the platform's CRUD routes. */
export function catalogueRoutes(platform: Platform, access: Access, records: PartsRecords) {
  const actor = (request: FastifyRequest) => eventActor(access.actor(request));
  const hide = <T extends Record<string, unknown>>(row: T, request: FastifyRequest) =>
    withoutHidden(row, request.grant!);

  return (app: HttpApp) => {
    crudRoutes(app, {
      path: '/parts',
      tag: 'parts',
      records: records.parts,
      dto: Part,
      create: CreatePart,
      update: UpdatePart,
      query: PartQuery,
      needs: (action) => needs('part', action),
      // The catalogue is not customer data: whoever may read parts reads them all.
      scope: () => sql`true`,
      present: (row, request) => hide(presentPart(row), request),
      filters: (q) => [
        searchText(q.q as string | undefined, parts.sku, parts.nameZh, parts.nameEn),
        q.modelId ? sql`${parts.compatibleModelIds} @> ${JSON.stringify([q.modelId])}::jsonb` : undefined,
        q.active ? eq(parts.active, q.active === 'true') : undefined,
      ],
      orderBy: [parts.sku],
      actor,
      check: async (input) => {
        const ids = input.compatibleModelIds as string[] | undefined;
        if (ids?.length) {
          const unique = [...new Set(ids)];
          const found = await existingModelIds(platform.db, unique);
          if (found.size !== unique.length) throw invalid('compatibleModelIds', 'validation.reference');
          return { ...input, compatibleModelIds: unique };
        }
        return input;
      },
    });

    crudRoutes(app, {
      path: '/warehouses',
      tag: 'parts',
      records: records.warehouses,
      dto: Warehouse,
      create: CreateWarehouse,
      update: UpdateWarehouse,
      query: WarehouseQuery,
      needs: (action) => needs('warehouse', action),
      scope: () => sql`true`,
      present: (row, request) => hide(presentWarehouse(row), request),
      filters: (q) => [
        searchText(q.q as string | undefined, warehouses.code, warehouses.name),
        q.kind ? eq(warehouses.kind, q.kind as string) : undefined,
        q.ownerUserId ? eq(warehouses.ownerUserId, q.ownerUserId as string) : undefined,
      ],
      orderBy: [warehouses.code],
      actor,
      check: async (input, _request, before) => {
        const kind = (input.kind ?? before?.kind) as string;
        const owner = input.ownerUserId === undefined ? before?.ownerUserId : input.ownerUserId;
        if (kind === 'van') {
          if (!owner) throw invalid('ownerUserId', 'validation.parts.van_owner');
          const user = await userStanding(platform.db, owner as string);
          if (!user?.active || !user.roles.includes('engineer'))
            throw invalid('ownerUserId', 'validation.parts.van_owner');
        }
        // Only vans belong to someone.
        return kind === 'van' ? input : { ...input, ownerUserId: null };
      },
    });
  };
}
