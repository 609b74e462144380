/**
 * tickets — the fault ticket (工单): standard intake from every channel, the five-step
 * lifecycle with its visits, the timeline customers and staff see, links between tickets, and
 * the fault taxonomy with its synonym list. Lifecycle rules are pure (lifecycle.ts); the
 * service writes each command and its event in one transaction.
 */
import { createFileStorage } from '../../platform/files/index';
import type { HttpModule } from '../../platform/http/app';
import { registerMessages } from '../../platform/i18n';
import type { Platform } from '../../platform/index';
import type { CustomersModule } from '../customers/index';
import type { FormsModule } from '../forms/index';
import type { Access } from '../identity/index';
import type { WorkflowStore } from '../workflows/index';
import { attachmentRoutes } from './attachments';
import { EXPORT_MESSAGES } from './export';
import { ticketRoutes } from './routes';
import { TicketService } from './service';
import { ensureDefaultTaxonomy } from './taxonomy-store';

export { similarity } from './intake';
export { checklistComplete, dueTimes, PRIORITY_TARGETS } from './lifecycle';
export {
  faultCategoryExists,
  findTicket,
  findTickets,
  findVisit,
  leadsVisitOf,
  openTicketIdPages,
  type TicketRow,
  ticketHeadlines,
  ticketIdsIn,
  ticketInScope,
  type VisitRow,
  visitsOfTicket,
} from './reads';
export { TicketService, ticketScope } from './service';
export { matchProblemType, normaliseProblemType } from './taxonomy';

registerMessages(EXPORT_MESSAGES);
registerMessages({
  'entity.ticket': { 'zh-CN': '工单', 'en-US': 'Ticket' },
  'validation.phone': { 'zh-CN': '请输入有效的电话号码', 'en-US': 'Enter a valid phone number' },
  'validation.signature': { 'zh-CN': '签名须为 PNG 图片', 'en-US': 'The signature must be a PNG image' },
  'validation.reason': { 'zh-CN': '请填写原因（至少 2 个字）', 'en-US': 'Give a reason (at least 2 characters)' },
  'validation.ticket.title': {
    'zh-CN': '请填写故障标题（至少 2 个字）',
    'en-US': 'Give the fault a title (at least 2 characters)',
  },
  'validation.ticket.description_too_short': {
    'zh-CN': '故障描述至少 10 个字：现象、出现时间、错误代码',
    'en-US': 'Describe the fault in at least 10 characters: symptom, when, error codes',
  },
  'validation.ticket.root_cause': { 'zh-CN': '请填写根本原因', 'en-US': 'Give the root cause' },
  'validation.ticket.actions': { 'zh-CN': '请填写处理措施', 'en-US': 'Describe the actions taken' },
  'ticket.not_allowed': { 'zh-CN': '您不能对该工单执行“{action}”', 'en-US': 'You may not “{action}” this ticket' },
  'ticket.invalid_transition': {
    'zh-CN': '工单当前状态（{state}）不允许执行“{action}”',
    'en-US': 'The ticket’s state ({state}) does not allow “{action}”',
  },
  'ticket.window_invalid': {
    'zh-CN': '计划结束时间须晚于开始时间',
    'en-US': 'The planned end must be after the start',
  },
  'ticket.visit_open': { 'zh-CN': '有尚未签退的上门记录', 'en-US': 'A visit is still checked in' },
  'ticket.visit_not_pending': { 'zh-CN': '该上门记录不存在或已签到', 'en-US': 'No such visit waiting for check-in' },
  'ticket.visit_not_open': { 'zh-CN': '该上门记录未签到或已签退', 'en-US': 'That visit is not checked in' },
  'ticket.close_needs_override': {
    'zh-CN': '未完成验证清单或客户确认，关闭需主管授权并填写原因',
    'en-US': 'Without a complete verification and customer confirmation, closing needs a manager’s override',
  },
  'ticket.override_reason_required': { 'zh-CN': '请填写授权关闭的原因', 'en-US': 'Give the reason for the override' },
  'ticket.transfer_target_required': { 'zh-CN': '请选择转派对象', 'en-US': 'Choose whom to transfer to' },
  'ticket.reopen_window_passed': {
    'zh-CN': '工单关闭已超过 {days} 天，请新建工单',
    'en-US': 'Closed more than {days} days ago; report a new ticket',
  },
  'ticket.not_an_engineer': { 'zh-CN': '所选用户不是在岗工程师', 'en-US': 'The chosen user is not an active engineer' },
  'ticket.self_link': { 'zh-CN': '工单不能关联自身', 'en-US': 'A ticket cannot link to itself' },
});

export interface TicketsModule {
  http: HttpModule;
  service: TicketService;
  /** Installs the default taxonomy on a fresh database. */
  startup(): Promise<void>;
}

export function createTicketsModule(
  platform: Platform,
  access: Access,
  customers: CustomersModule,
  forms: Pick<FormsModule, 'checkTicketFields' | 'checkChangedFields' | 'claimAttachments'>,
  workflows: Pick<WorkflowStore, 'used'>,
): TicketsModule {
  const service = new TicketService(platform, workflows, forms);
  const storage = createFileStorage(platform.config);
  return {
    service,
    http: {
      name: 'tickets',
      routes: async (app) => {
        await ticketRoutes(platform, access, service, customers, forms)(app);
        await attachmentRoutes(platform, access, service, storage)(app);
      },
    },
    startup: () => platform.transaction((tx) => ensureDefaultTaxonomy(tx, platform.clock.now())),
  };
}
