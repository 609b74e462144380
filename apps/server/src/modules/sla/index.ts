/**
 * sla — service-level agreements: business calendars (working hours in a time zone, China's
 * statutory holidays and 调休 working days), policies matched by priority × customer tier ×
 * contract, and per-ticket clocks for first response and resolution that pause while a ticket is
 * suspended and warn, then breach, through database-backed jobs. It learns about tickets only from
 * their events; what it decides is written back as the ticket's due times.
 */
import { Records } from '../../platform/db/records';
import type { HttpModule } from '../../platform/http/app';
import { registerMessages } from '../../platform/i18n';
import type { Platform } from '../../platform/index';
import type { Access } from '../identity/index';
import type { TicketService } from '../tickets/index';
import { BREACH_QUEUE, SlaClocks, WARNING_QUEUE } from './clocks';
import { ensureDefaultPolicies } from './defaults';
import { holidayRoutes } from './holiday-routes';
import { HolidaySchedule } from './holiday-schedule';
import { registerSlaReactions } from './reactions';
import { slaRoutes } from './routes';
import { slaCalendars, slaPolicies } from './tables';

export { addBusinessMinutes, type BusinessCalendar, businessCalendar, businessMinutesBetween } from './calendar';
export { SlaClocks } from './clocks';
export { chinaHolidays } from './holiday-store';

registerMessages({
  'entity.slaPolicy': { 'zh-CN': 'SLA 策略', 'en-US': 'SLA policy' },
  'entity.slaCalendar': { 'zh-CN': '工作日历', 'en-US': 'Business calendar' },
  'validation.sla.time': { 'zh-CN': '时间格式为 HH:MM（00:00–24:00）', 'en-US': 'Use HH:MM (00:00–24:00)' },
  'validation.sla.window_order': {
    'zh-CN': '结束时间须晚于开始时间',
    'en-US': 'The end must be after the start',
  },
  'validation.sla.window_overlap': {
    'zh-CN': '同一天的工作时段不能重叠',
    'en-US': 'Working windows of one day must not overlap',
  },
  'validation.sla.time_zone': {
    'zh-CN': '未知的时区（请使用 IANA 名称，如 Asia/Shanghai）',
    'en-US': 'Unknown time zone (use an IANA name such as Asia/Shanghai)',
  },
  'validation.sla.no_working_time': {
    'zh-CN': '工作日历至少需要一个工作时段，或设为 24×7',
    'en-US': 'A business calendar needs some working time, or make it 24×7',
  },
  'entity.holidayYear': { 'zh-CN': '节假日安排', 'en-US': 'Holiday schedule' },
  'validation.sla.holiday_year': {
    'zh-CN': '日期须在所编辑的年份之内',
    'en-US': 'The date must lie in the year being edited',
  },
  'validation.sla.holiday_twice': {
    'zh-CN': '同一天不能既是放假日又是调休上班日',
    'en-US': 'A day cannot be both a day off and a working day',
  },
  'validation.sla.ics': {
    'zh-CN': '无法读取该 ICS 日历文件',
    'en-US': 'This ICS calendar file cannot be read',
  },
  'validation.sla.ics_empty': {
    'zh-CN': '该 ICS 文件中没有系统内置数据之外年份的节假日',
    'en-US': 'The ICS file holds no holidays for a year beyond the shipped data',
  },
  'validation.sla.response_after_resolution': {
    'zh-CN': '响应时限不能长于解决时限',
    'en-US': 'The response target cannot be longer than the resolution target',
  },
});

export interface SlaModule {
  http: HttpModule;
  clocks: SlaClocks;
  /** Installs the default calendars and catch-all policies (idempotent). */
  startup(): Promise<void>;
}

export function createSlaModule(platform: Platform, access: Access, ticketService: TicketService): SlaModule {
  const clocks = new SlaClocks(platform, ticketService);
  registerSlaReactions(platform, clocks);
  platform.jobs.handle(WARNING_QUEUE, clocks.warn);
  platform.jobs.handle(BREACH_QUEUE, clocks.breach);
  const holidays = new HolidaySchedule(platform, clocks);
  const records = {
    policies: new Records(platform, slaPolicies, 'slaPolicy', { sla_policies_match_idx: 'priority' }),
    calendars: new Records(platform, slaCalendars, 'slaCalendar', { sla_calendars_code_key: 'code' }),
  };
  return {
    clocks,
    http: {
      name: 'sla',
      routes: (app) => {
        slaRoutes(platform, access, records, ticketService)(app);
        holidayRoutes(access, holidays)(app);
      },
    },
    startup: async () => {
      await platform.transaction((tx) => ensureDefaultPolicies(tx, platform.clock.now()));
      // The console's banner reads the coverage live; the notification follows with the daily check.
      await holidays.schedule();
    },
  };
}
