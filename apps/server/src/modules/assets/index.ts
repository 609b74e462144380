/**
 * assets — what ServiceLoop services: product models, devices (serial number, batch,
 * firmware, install date, warranty) and service contracts; and the 360° views of a customer
 * and of a device that bring everything about them onto one page.
 */
import { Records } from '../../platform/db/records';
import type { HttpModule } from '../../platform/http/app';
import { registerMessages } from '../../platform/i18n';
import type { Platform } from '../../platform/index';
import type { CustomersModule } from '../customers/index';
import type { Access } from '../identity/index';
import { overviewRoutes } from './overview';
import { assetRoutes } from './routes';
import { devices, productModels, serviceContracts } from './tables';

export {
  contractExists,
  contractIdByNumber,
  type DeviceReference,
  type DeviceRow,
  deviceIdsInBatch,
  devicesMatching,
  devicesWithModel,
  existingModelIds,
  type ModelRow,
  reportedDevice,
} from './reads';
export { chinaDate, warrantyStatus } from './warranty';

registerMessages({
  'entity.productModel': { 'zh-CN': '产品型号', 'en-US': 'Product model' },
  'entity.device': { 'zh-CN': '设备', 'en-US': 'Device' },
  'entity.contract': { 'zh-CN': '服务合同', 'en-US': 'Service contract' },
  'validation.code': {
    'zh-CN': '编码只能包含字母、数字、点、下划线和连字符',
    'en-US': 'Codes may contain only letters, digits, dots, underscores and hyphens',
  },
  'validation.ends_before_start': {
    'zh-CN': '结束日期不能早于开始日期',
    'en-US': 'The end date is before the start date',
  },
  'validation.not_this_customer': {
    'zh-CN': '该记录不属于所选客户',
    'en-US': 'This record does not belong to the selected customer',
  },
});

export interface AssetRecords {
  productModels: Records<typeof productModels>;
  contracts: Records<typeof serviceContracts>;
  devices: Records<typeof devices>;
}

export interface AssetsModule {
  http: HttpModule;
  records: AssetRecords;
}

export function createAssetsModule(platform: Platform, access: Access, customers: CustomersModule): AssetsModule {
  const records: AssetRecords = {
    productModels: new Records(platform, productModels, 'productModel', { product_models_code_key: 'code' }),
    contracts: new Records(platform, serviceContracts, 'contract', { service_contracts_number_key: 'number' }),
    devices: new Records(platform, devices, 'device', {
      devices_serial_idx: 'serialNumber',
      devices_asset_code_idx: 'assetCode',
    }),
  };
  const routes = assetRoutes(platform, access, records, customers);
  const overviews = overviewRoutes(platform, access, records, customers);
  return {
    records,
    http: {
      name: 'assets',
      routes: async (app) => {
        await routes(app);
        await overviews(app);
      },
    },
  };
}
