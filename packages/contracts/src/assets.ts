import { z } from 'zod';
import { patchOf, Timestamp } from './common';
import { Contact, Customer, Site } from './customers';

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const IsoDate = z.iso.date();

export const ProductCategory = z.enum([
  'cnc_machine',
  'industrial_robot',
  'production_line',
  'elevator',
  'escalator',
  'laptop',
  'phone',
  'other',
]);

export const ProductModel = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    category: ProductCategory,
    manufacturer: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'ProductModel' });
export type ProductModel = z.infer<typeof ProductModel>;

export const CreateProductModel = z.object({
  code: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[\w.-]+$/, { message: 'validation.code' }),
  name: text(200),
  category: ProductCategory,
  manufacturer: optionalText(200),
});
export const UpdateProductModel = patchOf(CreateProductModel);

export const Coverage = z.enum(['full', 'parts_only', 'labour_only', 'inspection']);
export const SlaTier = z.enum(['gold', 'silver', 'bronze']);

export const ServiceContract = z
  .object({
    id: z.uuid(),
    customerId: z.uuid(),
    number: z.string(),
    coverage: Coverage,
    slaTier: SlaTier,
    startsOn: z.string(),
    endsOn: z.string(),
    value: z.number().nullable(),
    active: z.boolean().describe('Whether today falls within the contract dates'),
    version: z.number().int(),
  })
  .meta({ id: 'ServiceContract' });
export type ServiceContract = z.infer<typeof ServiceContract>;

const contractFields = {
  customerId: z.uuid(),
  number: text(64),
  coverage: Coverage,
  slaTier: SlaTier,
  startsOn: IsoDate,
  endsOn: IsoDate,
  value: z.number().min(0).max(1e12).nullable().optional(),
};
const endsAfterStart = (c: { startsOn?: string; endsOn?: string }) =>
  !c.startsOn || !c.endsOn || c.endsOn >= c.startsOn;
export const CreateContract = z
  .object(contractFields)
  .refine(endsAfterStart, { message: 'validation.ends_before_start', path: ['endsOn'] });
export const UpdateContract = patchOf(z.object(contractFields).omit({ customerId: true })).refine(endsAfterStart, {
  message: 'validation.ends_before_start',
  path: ['endsOn'],
});

export const WarrantyStatus = z.enum(['in_warranty', 'out_of_warranty', 'unknown']);

export const Device = z
  .object({
    id: z.uuid(),
    modelId: z.uuid(),
    modelName: z.string(),
    serialNumber: z.string(),
    assetCode: z.string().nullable(),
    customerId: z.uuid(),
    customerName: z.string(),
    siteId: z.uuid().nullable(),
    contractId: z.uuid().nullable(),
    batch: z.string().nullable(),
    firmwareVersion: z.string().nullable(),
    installedOn: z.string().nullable(),
    warrantyEndsOn: z.string().nullable(),
    warrantyStatus: WarrantyStatus,
    createdAt: Timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'Device' });
export type Device = z.infer<typeof Device>;

const deviceFields = {
  modelId: z.uuid(),
  serialNumber: z.string().trim().min(1).max(64),
  assetCode: optionalText(64),
  customerId: z.uuid(),
  siteId: z.uuid().nullable().optional(),
  contractId: z.uuid().nullable().optional(),
  batch: optionalText(64),
  firmwareVersion: optionalText(64),
  installedOn: IsoDate.nullable().optional(),
  warrantyEndsOn: IsoDate.nullable().optional(),
};
export const CreateDevice = z.object(deviceFields);
export const UpdateDevice = patchOf(CreateDevice);

/**
 * An alarm a device (or the monitoring system watching it) reports: written as `telemetry.alert`
 * on the device, which automation rules and, later, the telemetry module react to.
 */
export const DeviceAlert = z
  .object({
    code: z.string().trim().min(1).max(64).describe('The alarm code the device reports, e.g. E21 (门机过载)'),
    message: z.string().trim().min(1).max(500),
    severity: z.enum(['info', 'warning', 'critical']).default('warning'),
  })
  .meta({ id: 'DeviceAlert' });
export type DeviceAlert = z.infer<typeof DeviceAlert>;
export const DeviceAlertAccepted = z.object({ eventId: z.uuid() }).meta({ id: 'DeviceAlertAccepted' });

export const DeviceQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  q: z.string().trim().max(200).optional(),
  customerId: z.uuid().optional(),
  modelId: z.uuid().optional(),
  batch: z.string().trim().max(64).optional(),
  warranty: WarrantyStatus.optional(),
});

/** One event of a record's history, as the 360° pages show it. */
export const HistoryEntry = z.object({
  id: z.uuid(),
  occurredAt: Timestamp,
  type: z.string(),
  actorId: z.uuid().nullable(),
  changes: z.record(z.string(), z.unknown()),
});

export const CustomerOverview = z
  .object({
    customer: Customer,
    contacts: z.array(Contact),
    sites: z.array(Site),
    devices: z.array(Device),
    contracts: z.array(ServiceContract),
    counts: z.object({ contacts: z.number(), sites: z.number(), devices: z.number(), contracts: z.number() }),
    history: z.array(HistoryEntry),
  })
  .meta({ id: 'CustomerOverview' });

export const DeviceOverview = z
  .object({
    device: Device,
    model: ProductModel,
    customer: Customer,
    site: Site.nullable(),
    contract: ServiceContract.nullable(),
    history: z.array(HistoryEntry),
  })
  .meta({ id: 'DeviceOverview' });
