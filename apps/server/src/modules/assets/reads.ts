import { and, asc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { searchText } from '../../platform/db/records';
import type { Actor } from '../../platform/http/actor';
import { customerNames, customerRegion } from '../customers/index';
import { type Grant, scopeFilter } from '../identity/index';
import { devices, productModels, serviceContracts } from './tables';

/**
 * Named reads of the installed base for other modules: they ask about models and devices here
 * instead of querying this module's tables.
 */

/** Which of these product model ids exist. */
export async function existingModelIds(db: Executor, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const found = await db.select({ id: productModels.id }).from(productModels).where(inArray(productModels.id, ids));
  return new Set(found.map((m) => m.id));
}

export async function contractExists(db: Executor, id: string): Promise<boolean> {
  const [found] = await db
    .select({ id: serviceContracts.id })
    .from(serviceContracts)
    .where(eq(serviceContracts.id, id));
  return !!found;
}

export async function contractIdByNumber(db: Executor, number: string): Promise<string | undefined> {
  const [found] = await db
    .select({ id: serviceContracts.id })
    .from(serviceContracts)
    .where(eq(serviceContracts.number, number));
  return found?.id;
}

/** Devices the grant lets the actor read whose serial number or asset code contains the text, with their customer's name. */
export async function devicesMatching(db: Executor, grant: Grant, actor: Actor, text: string, limit: number) {
  const scope = scopeFilter(grant, actor, {
    organisation: devices.customerId,
    region: customerRegion(devices.customerId),
  });
  const found = await db
    .select({
      id: devices.id,
      serialNumber: devices.serialNumber,
      assetCode: devices.assetCode,
      customerId: devices.customerId,
    })
    .from(devices)
    .where(and(scope, searchText(text, devices.serialNumber, devices.assetCode)))
    .orderBy(asc(devices.serialNumber))
    .limit(limit);
  const names = await customerNames(
    db,
    found.map((d) => d.customerId),
  );
  return found.map(({ customerId, ...d }) => ({ ...d, customer: names.get(customerId) ?? '' }));
}

export type DeviceRow = typeof devices.$inferSelect;
export type ModelRow = typeof productModels.$inferSelect;

/**
 * Devices with their product model: by ids, or by asset code (as printed on a label, any case);
 * with `reader`, only the devices the grant lets the actor read.
 */
export function devicesWithModel(
  db: Executor,
  which: { ids: string[] } | { assetCode: string },
  reader?: { grant: Grant; actor: Actor },
): Promise<{ device: DeviceRow; model: ModelRow }[]> {
  if ('ids' in which && which.ids.length === 0) return Promise.resolve([]);
  const scope = reader
    ? scopeFilter(reader.grant, reader.actor, {
        organisation: devices.customerId,
        region: customerRegion(devices.customerId),
      })
    : undefined;
  return db
    .select({ device: devices, model: productModels })
    .from(devices)
    .innerJoin(productModels, eq(productModels.id, devices.modelId))
    .where(
      and(
        'ids' in which
          ? inArray(devices.id, which.ids)
          : eq(sql`upper(${devices.assetCode})`, which.assetCode.toUpperCase()),
        scope,
      ),
    );
}

/** The ids of the devices of a production batch, as a subquery for another module's `in (…)`. */
export const deviceIdsInBatch = (batch: string): SQL =>
  sql`select ${devices.id} from ${devices} where ${devices.batch} = ${batch}`;

/** What a fault report names its device by: the id, or the serial (within a model, if given) or the asset code. */
export interface DeviceReference {
  deviceId?: string | null;
  serialNumber?: string | null;
  productModelId?: string | null;
  assetCode?: string | null;
}

/** The device a report refers to, if the installed base knows it; by id first, else by serial or asset code. */
export async function reportedDevice(db: Executor, ref: DeviceReference): Promise<DeviceRow | undefined> {
  if (ref.deviceId) {
    const [byId] = await db.select().from(devices).where(eq(devices.id, ref.deviceId));
    return byId;
  }
  if (!ref.serialNumber && !ref.assetCode) return undefined;
  const bySerial = ref.serialNumber
    ? and(
        eq(devices.serialNumber, ref.serialNumber),
        ref.productModelId ? eq(devices.modelId, ref.productModelId) : undefined,
      )
    : undefined;
  const [found] = await db
    .select()
    .from(devices)
    .where(or(bySerial, ref.assetCode ? eq(devices.assetCode, ref.assetCode) : undefined))
    .limit(1);
  return found;
}
