/**
 * automation — event → condition → action rules that shape the service process without code:
 * auto-dispatch by fault category, region, customer tier and skills; escalation chains on SLA
 * warnings and breaches; follow-ups after a low survey score; scheduled sweeps (cron in
 * Asia/Shanghai). The engine is pure (engine.ts); rules act only through the tickets service and
 * notifications, so events, SLA clocks, analytics and deliveries stay what those modules make them.
 * docs/automation.md.
 */
import { Records } from '../../platform/db/records';
import type { HttpModule } from '../../platform/http/app';
import { registerMessages } from '../../platform/i18n';
import type { Platform } from '../../platform/index';
import type { Access } from '../identity/index';
import type { NotificationsModule } from '../notifications/index';
import type { TicketService } from '../tickets/index';
import { ActionRunner } from './actions';
import { registerAutomationReactions } from './reactions';
import { automationRoutes } from './routes';
import { Automation, SCHEDULE_QUEUE } from './service';
import { automationRules } from './tables';

registerMessages({
  'entity.automationRule': { 'zh-CN': '自动化规则', 'en-US': 'Automation rule' },
  'validation.automation.field': { 'zh-CN': '未知的条件字段', 'en-US': 'Unknown condition field' },
  'validation.automation.operator': {
    'zh-CN': '该字段类型不支持此运算符',
    'en-US': 'This operator does not fit the field’s type',
  },
  'validation.automation.value_list': { 'zh-CN': '请至少给出一个值', 'en-US': 'Give at least one value' },
  'validation.automation.value_range': {
    'zh-CN': '请给出两个可比较的值（下限、上限）',
    'en-US': 'Give two comparable values (low, high)',
  },
  'validation.automation.value_number': { 'zh-CN': '请给出数字或时间', 'en-US': 'Give a number or a time' },
  'validation.automation.value_single': { 'zh-CN': '请给出一个值', 'en-US': 'Give one value' },
  'validation.automation.too_deep': {
    'zh-CN': '条件嵌套过深（最多 6 层）',
    'en-US': 'Conditions nest too deep (6 levels)',
  },
  'validation.automation.too_many': {
    'zh-CN': '条件过多（最多 100 个）',
    'en-US': 'Too many conditions (100 at most)',
  },
  'validation.automation.cron': {
    'zh-CN': '无效的 cron 表达式（分 时 日 月 周，按北京时间）',
    'en-US': 'Invalid cron expression (minute hour day month weekday, China Standard Time)',
  },
});

export interface AutomationModule {
  http: HttpModule;
  automation: Automation;
  /** Queues the next tick of every scheduled rule (idempotent). */
  startup(): Promise<void>;
}

export function createAutomationModule(
  platform: Platform,
  access: Access,
  deps: { tickets: TicketService; notifications: Pick<NotificationsModule, 'messages'> },
): AutomationModule {
  const actions = new ActionRunner(platform, deps.tickets, deps.notifications.messages);
  const automation = new Automation(platform, actions, deps.notifications.messages.sent);
  registerAutomationReactions(platform, automation);
  platform.jobs.handle(SCHEDULE_QUEUE, automation.tick);
  const records = new Records(platform, automationRules, 'automationRule', { automation_rules_name_key: 'name' });
  return {
    automation,
    http: { name: 'automation', routes: automationRoutes(platform, access, records, automation) },
    startup: () => automation.scheduleAll(),
  };
}
