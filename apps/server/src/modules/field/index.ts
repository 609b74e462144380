/**
 * field — field service: engineer profiles (skills, certifications, regions, home base, working
 * hours, capacity, leave, cost rate), the skills each fault category or product model needs,
 * ranked assignment suggestions with their reasons (scoring.ts, pure), the dispatch board, the
 * day optimiser (optimizer.ts, pure, against the greedy baseline.ts) and the uploaded boundary
 * maps of the geographic view, and the place search behind the location picker (gazetteer.ts,
 * offline). Dispatching itself stays the ticket lifecycle's `dispatch`
 * transition: this module proposes, the tickets module decides and records.
 * The engineer's phone app reads its jobs here and writes through `FieldSync`: operations queued on
 * the phone, each applied once, a ticket that moved meanwhile kept as a conflict (sync.ts).
 */
import { Records } from '../../platform/db/records';
import { createFileStorage } from '../../platform/files/index';
import type { HttpModule } from '../../platform/http/app';
import { registerMessages } from '../../platform/i18n';
import type { Platform } from '../../platform/index';
import type { Access } from '../identity/index';
import type { RequisitionService, StockService } from '../parts/index';
import type { TicketService } from '../tickets/index';
import { fieldAppRoutes } from './app-routes';
import { DispatchService } from './dispatch';
import { geoMapRoutes } from './geo-maps';
import { placeRoutes } from './places';
import { profileRoutes } from './profiles';
import { dispatchRoutes } from './routes';
import { FieldSync } from './sync';
import { engineerProfiles } from './tables';

export { addDays, dayStart, instantAt, localDate, shiftOn } from './day';
export { DispatchService } from './dispatch';
export { type EngineerFacts, engineers, visitsBetween } from './facts';
export { FieldSync } from './sync';

registerMessages({
  'entity.engineer': { 'zh-CN': '工程师档案', 'en-US': 'Engineer profile' },
  'entity.geo_map': { 'zh-CN': '地图', 'en-US': 'Map' },
  'validation.field.date': { 'zh-CN': '日期格式为 YYYY-MM-DD', 'en-US': 'Use YYYY-MM-DD' },
  'validation.field.time': { 'zh-CN': '时间格式为 HH:MM', 'en-US': 'Use HH:MM' },
  'validation.field.skill': { 'zh-CN': '技能标签不能包含逗号或分号', 'en-US': 'A skill tag cannot contain , or ;' },
  'validation.field.window_order': { 'zh-CN': '下班时间须晚于上班时间', 'en-US': 'The end must be after the start' },
  'validation.field.one_window_per_day': {
    'zh-CN': '每个星期几只能设置一个工作时段',
    'en-US': 'One working window per weekday',
  },
  'validation.field.leave_order': {
    'zh-CN': '休假结束日期不能早于开始日期',
    'en-US': 'Leave cannot end before it starts',
  },
  'validation.field.home_pair': {
    'zh-CN': '常驻地须同时填写纬度和经度',
    'en-US': 'Give both latitude and longitude of the home base',
  },
  'validation.field.not_engineer': {
    'zh-CN': '所选用户不是在岗工程师',
    'en-US': 'The chosen user is not an active engineer',
  },
  'field.no_skilled_engineer': {
    'zh-CN': '当天没有具备所需技能的在岗工程师',
    'en-US': 'Nobody with the required skills works that day',
  },
  'field.no_capacity': {
    'zh-CN': '具备技能的工程师当天已排满或时间不够',
    'en-US': 'Every engineer with the skills is full or out of time that day',
  },
  'field.not_waiting': { 'zh-CN': '该工单不在待派工状态', 'en-US': 'The ticket is not waiting for dispatch' },
  'field.unknown_ticket': { 'zh-CN': '工单不存在', 'en-US': 'No such ticket' },
  'entity.visit': { 'zh-CN': '上门任务', 'en-US': 'Visit' },
  'field.lead_not_assistant': {
    'zh-CN': '主修工程师不能同时作为协助工程师',
    'en-US': 'The lead engineer cannot also be a helper',
  },
  'sync.ticket_moved': {
    'zh-CN': '您离线期间工单已被他人变更（改派、取消或已处理），此操作未执行',
    'en-US':
      'The ticket changed while you were offline (reassigned, cancelled or handled by someone else); this was not applied',
  },
  'sync.not_your_job': {
    'zh-CN': '您不是该工单的上门工程师',
    'en-US': 'You are not an engineer on a visit of this ticket',
  },
  'sync.op_id_taken': { 'zh-CN': '操作编号已被使用', 'en-US': 'This operation id is already taken' },
});

export interface FieldModule {
  http: HttpModule;
  dispatch: DispatchService;
  sync: FieldSync;
}

export function createFieldModule(
  platform: Platform,
  access: Access,
  tickets: TicketService,
  parts: { stock: StockService; requisitions: RequisitionService },
): FieldModule {
  const profiles = new Records(platform, engineerProfiles, 'engineer', { engineer_profiles_user_id_key: 'userId' });
  const dispatch = new DispatchService(platform, tickets);
  const storage = createFileStorage(platform.config);
  const sync = new FieldSync(platform, tickets, parts);
  return {
    dispatch,
    sync,
    http: {
      name: 'field',
      routes: async (app) => {
        await profileRoutes(platform, access, profiles)(app);
        await dispatchRoutes(access, dispatch)(app);
        await geoMapRoutes(platform, access, storage)(app);
        await placeRoutes(platform, access)(app);
        await fieldAppRoutes(platform, access, sync)(app);
      },
    },
  };
}
