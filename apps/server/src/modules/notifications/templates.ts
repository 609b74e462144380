import type { NotifiableEvent } from '@serviceloop/contracts';

/**
 * Message templates: `{{name}}` placeholders filled from the event's variables. Pure. An unknown
 * or missing variable renders empty, so a typo in an admin's template never stops a message;
 * the preview lists such names so the admin sees them before saving.
 */
export type Variables = Record<string, string | number | null | undefined>;

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;

export function render(template: string, variables: Variables): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => {
    const value = variables[name];
    return value === null || value === undefined ? '' : String(value);
  });
}

export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

const TICKET = ['ticketNumber', 'title', 'priority', 'customer', 'dueAt', 'link', 'state', 'assignee'];
/** The variables each event provides. */
export const VARIABLES_OF: Record<NotifiableEvent, string[]> = {
  'ticket.created': TICKET,
  'ticket.triaged': TICKET,
  'ticket.dispatched': [...TICKET, 'plannedStart'],
  'ticket.transferred': TICKET,
  'ticket.resolved': TICKET,
  'ticket.closed': TICKET,
  'ticket.reopened': TICKET,
  'sla.warning': [...TICKET, 'clock', 'remainingMinutes'],
  'sla.breached': [...TICKET, 'clock'],
  'parts.reorder_needed': ['part', 'sku', 'warehouse', 'available', 'reorderPoint', 'link'],
  'analytics.spike_detected': ['dimension', 'label', 'count', 'baseline', 'link'],
  'sla.holidays_missing': ['year', 'link'],
};

type Text = { title: string; body: string };
/** The templates every installation starts with; admins edit their copies in the database. */
export const DEFAULT_TEMPLATES: Record<NotifiableEvent, { 'zh-CN': Text; 'en-US': Text }> = {
  'ticket.created': {
    'zh-CN': {
      title: '新工单 {{ticketNumber}}：{{title}}',
      body: '客户：{{customer}}\n优先级：{{priority}}\n查看：{{link}}',
    },
    'en-US': {
      title: 'New ticket {{ticketNumber}}: {{title}}',
      body: 'Customer: {{customer}}\nPriority: {{priority}}\nOpen: {{link}}',
    },
  },
  'ticket.triaged': {
    'zh-CN': {
      title: '工单 {{ticketNumber}} 已分级为 {{priority}}',
      body: '{{title}}\n客户：{{customer}}\n解决时限：{{dueAt}}\n查看：{{link}}',
    },
    'en-US': {
      title: 'Ticket {{ticketNumber}} triaged as {{priority}}',
      body: '{{title}}\nCustomer: {{customer}}\nResolve by: {{dueAt}}\nOpen: {{link}}',
    },
  },
  'ticket.dispatched': {
    'zh-CN': {
      title: '派工：{{ticketNumber}} {{title}}',
      body: '客户：{{customer}}\n优先级：{{priority}}\n计划上门：{{plannedStart}}\n查看：{{link}}',
    },
    'en-US': {
      title: 'Dispatched to you: {{ticketNumber}} {{title}}',
      body: 'Customer: {{customer}}\nPriority: {{priority}}\nPlanned visit: {{plannedStart}}\nOpen: {{link}}',
    },
  },
  'ticket.transferred': {
    'zh-CN': { title: '工单 {{ticketNumber}} 已转派', body: '{{title}}\n处理人：{{assignee}}\n查看：{{link}}' },
    'en-US': {
      title: 'Ticket {{ticketNumber}} transferred',
      body: '{{title}}\nAssignee: {{assignee}}\nOpen: {{link}}',
    },
  },
  'ticket.resolved': {
    'zh-CN': { title: '工单 {{ticketNumber}} 已解决', body: '{{title}}\n客户：{{customer}}\n查看：{{link}}' },
    'en-US': { title: 'Ticket {{ticketNumber}} resolved', body: '{{title}}\nCustomer: {{customer}}\nOpen: {{link}}' },
  },
  'ticket.closed': {
    'zh-CN': { title: '工单 {{ticketNumber}} 已关闭', body: '{{title}}\n客户：{{customer}}' },
    'en-US': { title: 'Ticket {{ticketNumber}} closed', body: '{{title}}\nCustomer: {{customer}}' },
  },
  'ticket.reopened': {
    'zh-CN': { title: '工单 {{ticketNumber}} 被重新打开', body: '{{title}}\n客户：{{customer}}\n查看：{{link}}' },
    'en-US': { title: 'Ticket {{ticketNumber}} reopened', body: '{{title}}\nCustomer: {{customer}}\nOpen: {{link}}' },
  },
  'sla.warning': {
    'zh-CN': {
      title: 'SLA 预警：{{ticketNumber}} 剩余 {{remainingMinutes}} 分钟',
      body: '{{title}}\n客户：{{customer}}\n优先级：{{priority}}\n{{clock}}时限：{{dueAt}}\n查看：{{link}}',
    },
    'en-US': {
      title: 'SLA warning: {{ticketNumber}}, {{remainingMinutes}} min left',
      body: '{{title}}\nCustomer: {{customer}}\nPriority: {{priority}}\n{{clock}} due: {{dueAt}}\nOpen: {{link}}',
    },
  },
  'sla.breached': {
    'zh-CN': {
      title: 'SLA 超时：{{ticketNumber}} {{title}}',
      body: '客户：{{customer}}\n优先级：{{priority}}\n{{clock}}时限：{{dueAt}}（已超时）\n查看：{{link}}',
    },
    'en-US': {
      title: 'SLA breached: {{ticketNumber}} {{title}}',
      body: 'Customer: {{customer}}\nPriority: {{priority}}\n{{clock}} was due: {{dueAt}}\nOpen: {{link}}',
    },
  },
  'parts.reorder_needed': {
    'zh-CN': {
      title: '备件需补货：{{sku}} {{part}}',
      body: '仓库：{{warehouse}}\n可用：{{available}}，补货点：{{reorderPoint}}\n查看：{{link}}',
    },
    'en-US': {
      title: 'Reorder needed: {{sku}} {{part}}',
      body: 'Warehouse: {{warehouse}}\nAvailable: {{available}}, reorder point: {{reorderPoint}}\nOpen: {{link}}',
    },
  },
  'analytics.spike_detected': {
    'zh-CN': {
      title: '故障异常激增：{{dimension}}“{{label}}”',
      body: '近 7 天 {{count}} 张工单，基线每 7 天 {{baseline}} 张\n查看：{{link}}',
    },
    'en-US': {
      title: 'Fault spike: {{dimension}} “{{label}}”',
      body: '{{count}} tickets in the last 7 days against a baseline of {{baseline}} per 7 days\nOpen: {{link}}',
    },
  },
  'sla.holidays_missing': {
    'zh-CN': {
      title: '缺少 {{year}} 年节假日安排',
      body: '系统尚无 {{year}} 年的法定节假日和调休安排，跨入该年的 SLA 时限为暂定值。请在 SLA 设置的"节假日"中录入或导入 ICS：{{link}}',
    },
    'en-US': {
      title: "China's {{year}} holiday schedule is missing",
      body: 'The system has no {{year}} public holidays or adjusted working days yet, so SLA due times in that year are provisional. Enter them or import an ICS file under SLA settings, Holidays: {{link}}',
    },
  },
};
