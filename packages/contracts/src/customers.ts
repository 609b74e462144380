import { z } from 'zod';
import { patchOf, Timestamp } from './common';
import { isMobileCN, isValidCreditCode } from './validators';

export const CustomerTier = z.enum(['vip', 'standard']);
export const Industry = z.enum(['machine_tools', 'elevator', 'consumer_electronics', 'other']);
export type Industry = z.infer<typeof Industry>;

/** A 6-digit administrative division code (GB/T 2260), e.g. 440000 广东省. */
export const RegionCode = z.string().regex(/^\d{6}$/, { message: 'validation.region_code' });
const Mobile = z.string().trim().refine(isMobileCN, { message: 'validation.mobile' });
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const Customer = z
  .object({
    id: z.uuid(),
    name: z.string(),
    creditCode: z.string().nullable(),
    tier: CustomerTier,
    regionCode: z.string(),
    industry: Industry,
    createdAt: Timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'Customer' });
export type Customer = z.infer<typeof Customer>;

export const CreateCustomer = z.object({
  name: text(200),
  creditCode: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isValidCreditCode, { message: 'validation.credit_code' })
    .nullable()
    .optional(),
  tier: CustomerTier.default('standard'),
  regionCode: RegionCode,
  industry: Industry,
});
export const UpdateCustomer = patchOf(CreateCustomer);

export const Contact = z
  .object({
    id: z.uuid(),
    customerId: z.uuid(),
    name: z.string(),
    mobile: z.string().nullable(),
    email: z.string().nullable(),
    title: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Contact' });
export type Contact = z.infer<typeof Contact>;

export const CreateContact = z.object({
  customerId: z.uuid(),
  name: text(100),
  mobile: Mobile.nullable().optional(),
  email: z.email().max(200).nullable().optional(),
  title: optionalText(100),
});
export const UpdateContact = patchOf(CreateContact.omit({ customerId: true }));

export const Site = z
  .object({
    id: z.uuid(),
    customerId: z.uuid(),
    name: z.string(),
    provinceCode: z.string(),
    cityCode: z.string(),
    districtCode: z.string().nullable(),
    address: z.string(),
    lat: z.number().nullable(),
    lng: z.number().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Site' });
export type Site = z.infer<typeof Site>;

export const CreateSite = z.object({
  customerId: z.uuid(),
  name: text(200),
  provinceCode: RegionCode,
  cityCode: RegionCode,
  districtCode: RegionCode.nullable().optional(),
  address: text(300),
  lat: z.number().min(-90).max(90).nullable().optional(),
  lng: z.number().min(-180).max(180).nullable().optional(),
});
export const UpdateSite = patchOf(CreateSite.omit({ customerId: true }));

export const CustomerQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  q: z.string().trim().max(200).optional(),
  tier: CustomerTier.optional(),
  industry: Industry.optional(),
  regionCode: RegionCode.optional(),
});
