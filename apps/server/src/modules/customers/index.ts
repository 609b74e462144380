/**
 * customers — the organisations ServiceLoop serves: customers (tier, region, industry,
 * credit code), their contacts and their sites. Region scope of every child record is its
 * customer's region; organisation scope is the customer itself.
 */
import { and } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { Records } from '../../platform/db/records';
import type { HttpModule } from '../../platform/http/app';
import { registerMessages } from '../../platform/i18n';
import type { Platform } from '../../platform/index';
import { type Access, scopeFilter } from '../identity/index';
import { customerRoutes } from './routes';
import { contacts, customers, sites } from './tables';

export {
  type CustomerRow,
  contactsNamedLike,
  contactsOf,
  customerIdsNamed,
  customerNames,
  customerScope,
  customersNamedLike,
  findCustomer,
  findSite,
  type NamedRow,
  type SiteRow,
  type SiteWithCustomer,
  sitesMatching,
  sitesOf,
} from './reads';
export { provinceName } from './regions';
export { customerRegion, invalid, ownedByCustomerScope, referenced } from './routes';

registerMessages({
  'entity.customer': { 'zh-CN': '客户', 'en-US': 'Customer' },
  'entity.contact': { 'zh-CN': '联系人', 'en-US': 'Contact' },
  'entity.site': { 'zh-CN': '服务地点', 'en-US': 'Site' },
  'validation.credit_code': {
    'zh-CN': '统一社会信用代码无效（18 位，校验位不符）',
    'en-US': 'Invalid unified social credit code (18 characters with a check character)',
  },
  'validation.mobile': { 'zh-CN': '请输入有效的中国大陆手机号', 'en-US': 'Enter a valid mainland China mobile number' },
  'validation.reference': {
    'zh-CN': '引用的记录不存在或无权访问',
    'en-US': 'The referenced record does not exist or is not visible to you',
  },
  'validation.region_code': { 'zh-CN': '无效的省级行政区划代码', 'en-US': 'Invalid province code' },
  'validation.division': {
    'zh-CN': '行政区划不匹配（城市须属于所选省份，区县须属于所选城市）',
    'en-US': 'Divisions do not match (the city must lie in the province, the district in the city)',
  },
});

export interface CustomersModule {
  http: HttpModule;
  records: { customers: Records<typeof customers>; contacts: Records<typeof contacts>; sites: Records<typeof sites> };
  /** Throws 404 unless the caller's customer read grant reaches this customer. */
  customerVisible(request: FastifyRequest, customerId: string): Promise<void>;
}

export function createCustomersModule(platform: Platform, access: Access): CustomersModule {
  const records = {
    customers: new Records(platform, customers, 'customer', {
      customers_name_idx: 'name',
      customers_credit_code_idx: 'creditCode',
    }),
    contacts: new Records(platform, contacts, 'contact'),
    sites: new Records(platform, sites, 'site'),
  };
  const customerVisible = async (request: FastifyRequest, customerId: string) => {
    const grant = await access.authorize(request, 'customer', 'read');
    await records.customers.get(
      customerId,
      and(scopeFilter(grant, access.actor(request), { organisation: customers.id, region: customers.regionCode }))!,
    );
  };
  return {
    records,
    customerVisible,
    http: { name: 'customers', routes: customerRoutes(access, records, customerVisible) },
  };
}
