/**
 * parts — spare parts (备件): the catalogue, warehouses (headquarters, regional, an engineer's
 * van), the append-only stock ledger with its balance projection, reservations, reorder
 * alerts, requisitions for tickets with configurable approval, and the reports (slow-moving
 * stock, stock by warehouse, parts cost per ticket). Stock arithmetic is pure (ledger.ts) and
 * so is the requisition flow (requisition-flow.ts); ledger-store.ts is the only writer of stock.
 */
import { Records } from '../../platform/db/records';
import type { HttpModule } from '../../platform/http/app';
import { registerMessages } from '../../platform/i18n';
import type { Platform } from '../../platform/index';
import type { Access } from '../identity/index';
import { catalogueRoutes } from './catalogue';
import { RequisitionService } from './requisitions';
import { requisitionRoutes, stockRoutes } from './routes';
import { PartsSettingsStore } from './settings';
import { StockService } from './stock';
import { parts, warehouses } from './tables';

export {
  ticketPartsCostFenSql,
  ticketsPricedByCatalogueEvent,
} from './cost';
export { findPart, findWarehouse, warehousesMatching } from './reads';
export { RequisitionService } from './requisitions';
export { StockService } from './stock';

registerMessages({
  'entity.part': { 'zh-CN': '备件', 'en-US': 'Part' },
  'entity.warehouse': { 'zh-CN': '仓库', 'en-US': 'Warehouse' },
  'entity.reservation': { 'zh-CN': '库存预留', 'en-US': 'Reservation' },
  'entity.requisition': { 'zh-CN': '领料申请', 'en-US': 'Requisition' },
  'stock.insufficient': {
    'zh-CN': '可用库存不足：需要 {requested}，可用 {available}',
    'en-US': 'Not enough stock available: {requested} requested, {available} available',
  },
  'stock.reservation_exceeded': {
    'zh-CN': '释放数量超过该预留剩余数量（剩余 {outstanding}）',
    'en-US': 'More than the reservation still holds ({outstanding} left)',
  },
  'stock.reservation_owned': {
    'zh-CN': '该预留属于领料申请，请通过驳回或取消申请释放',
    'en-US': 'This reservation belongs to a requisition; reject or cancel the requisition instead',
  },
  'validation.parts.van_owner': {
    'zh-CN': '车载库须指定一名在岗工程师',
    'en-US': 'A van belongs to one active engineer',
  },
  'validation.parts.inactive': {
    'zh-CN': '该备件或仓库已停用',
    'en-US': 'This part or warehouse is no longer in use',
  },
  'validation.parts.serials': {
    'zh-CN': '该备件按序列号管理：每件须填写一个不重复的序列号',
    'en-US': 'This part is serial-tracked: give one distinct serial number per unit',
  },
  'validation.parts.zero_quantity': { 'zh-CN': '调整数量不能为 0', 'en-US': 'An adjustment cannot be zero' },
  'validation.parts.same_warehouse': {
    'zh-CN': '调入仓库须不同于调出仓库',
    'en-US': 'Transfer to a different warehouse',
  },
  'requisition.ticket_closed': {
    'zh-CN': '工单已关闭或取消，不能再申请备件',
    'en-US': 'The ticket is closed or cancelled; no more parts can be requested for it',
  },
  'requisition.more_than_issued': { 'zh-CN': '使用数量超过已发数量', 'en-US': 'More than was issued' },
  'requisition.invalid_state': {
    'zh-CN': '领料申请当前状态（{state}）不允许此操作',
    'en-US': 'The requisition’s state ({state}) does not allow this',
  },
  'requisition.own_request': {
    'zh-CN': '不能审批自己提交的领料申请',
    'en-US': 'You cannot approve or reject your own requisition',
  },
  'requisition.already_approved': {
    'zh-CN': '您已审批过该申请，需由另一人审批',
    'en-US': 'You already approved this requisition; another person must approve',
  },
  'requisition.not_approver': {
    'zh-CN': '按当前审批设置，您不是该申请的审批人',
    'en-US': 'Under the approval setting you are not an approver of this requisition',
  },
  'requisition.not_keeper': { 'zh-CN': '只有库管员可以发料', 'en-US': 'Only a warehouse keeper issues parts' },
  'requisition.not_requester': {
    'zh-CN': '只有申请人或主管可以执行此操作',
    'en-US': 'Only the requester or a manager may do this',
  },
});

export interface PartsRecords {
  parts: Records<typeof parts>;
  warehouses: Records<typeof warehouses>;
}

export interface PartsModule {
  http: HttpModule;
  stock: StockService;
  requisitions: RequisitionService;
  settings: PartsSettingsStore;
  records: PartsRecords;
}

export function createPartsModule(platform: Platform, access: Access): PartsModule {
  const records: PartsRecords = {
    parts: new Records(platform, parts, 'part', { parts_sku_key: 'sku' }),
    warehouses: new Records(platform, warehouses, 'warehouse', {
      warehouses_code_key: 'code',
      warehouses_one_van_idx: 'ownerUserId',
    }),
  };
  const settings = new PartsSettingsStore(platform);
  const stock = new StockService(platform);
  const requisitions = new RequisitionService(platform, stock, settings);
  return {
    records,
    stock,
    requisitions,
    settings,
    http: {
      name: 'parts',
      routes: async (app) => {
        await catalogueRoutes(platform, access, records)(app);
        await stockRoutes(platform, access, stock, settings)(app);
        await requisitionRoutes(platform, access, requisitions)(app);
      },
    },
  };
}
