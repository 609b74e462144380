/**
 * portal — the customer's self-service face on the server: invitations that turn a contact into
 * a portal user (signing in by phone or e-mail), the device behind a scanned QR label, parcel-style
 * ticket tracking, quotes the customer approves or rejects, the self-service FAQ suggested while a
 * fault is typed, and printable documents (service report, QR label sheets) with Chinese text.
 */
import { and, eq } from 'drizzle-orm';
import type { HttpModule } from '../../platform/http/app';
import { AppError } from '../../platform/http/errors';
import { registerMessages } from '../../platform/i18n';
import type { Platform } from '../../platform/index';
import type { Mailer } from '../../platform/mail';
import type { CustomersModule } from '../customers/index';
import type { Access, IdentityService } from '../identity/index';
import type { TicketService } from '../tickets/index';
import { documentRoutes } from './document-routes';
import { faqRoutes } from './faq';
import { invitationRoutes } from './invitation-routes';
import { Invitations } from './invitations';
import { quoteRoutes } from './quotes';
import { quotes } from './tables';
import { trackingRoutes } from './tracking';

export { cjkFont, newDocument } from './documents';
export { priceQuote } from './quotes';

registerMessages({
  'documents.no_contact_email': {
    'zh-CN': '工单没有联系人邮箱，无法发送服务报告单',
    'en-US': 'The ticket has no contact e-mail to send the service report to',
  },
  'ticket.quote_pending': {
    'zh-CN': '该工单有待客户确认的报价，客户批准后才能派工',
    'en-US': 'A quote on this ticket awaits the customer’s approval; dispatch once it is approved',
  },
  'entity.quote': { 'zh-CN': '报价单', 'en-US': 'Quote' },
  'entity.faq': { 'zh-CN': '常见问题', 'en-US': 'FAQ entry' },
  'entity.invitation': { 'zh-CN': '门户邀请', 'en-US': 'Invitation' },
  'portal.mobile_or_email': {
    'zh-CN': '请填写手机号或邮箱（至少一项）',
    'en-US': 'Give a mobile number or an e-mail address',
  },
  'portal.contact_taken': {
    'zh-CN': '该手机号或邮箱已被其他门户用户使用',
    'en-US': 'Another portal user already signs in with this mobile number or e-mail',
  },
  'portal.invitation_invalid': {
    'zh-CN': '邀请链接无效、已使用或已过期，请联系您的客户经理重新邀请',
    'en-US': 'This invitation link is invalid, used or expired; ask your account manager for a new one',
  },
  'portal.invitation_used': {
    'zh-CN': '该邀请已被接受或撤销',
    'en-US': 'This invitation was accepted or revoked already',
  },
  'portal.label_needs_asset_code': {
    'zh-CN': '以下设备没有资产编号，无法生成二维码标签：{serials}',
    'en-US': 'These devices have no asset code for a QR label yet: {serials}',
  },
  'documents.font_missing': {
    'zh-CN': '找不到 CJK_FONT_PATH 指定的中文字体文件，无法生成 PDF',
    'en-US': 'The CJK font file named by CJK_FONT_PATH was not found; cannot render the PDF',
  },
  'quote.pending_exists': {
    'zh-CN': '该工单已有待客户确认的报价，请先撤回',
    'en-US': 'A quote on this ticket is still waiting for the customer; withdraw it first',
  },
  'quote.not_pending': { 'zh-CN': '该报价已处理（{state}）', 'en-US': 'This quote is no longer pending ({state})' },
  'quote.customer_decides': {
    'zh-CN': '报价须由客户确认或拒绝',
    'en-US': 'Only the customer approves or rejects a quote',
  },
  'quote.ticket_ended': { 'zh-CN': '工单已关闭或取消，不能再报价', 'en-US': 'The ticket is closed or cancelled' },
  'validation.ids': { 'zh-CN': '请选择设备（最多 200 台）', 'en-US': 'Choose devices (at most 200)' },
});

export interface PortalModule {
  http: HttpModule;
  invitations: Invitations;
}

export function createPortalModule(
  platform: Platform,
  access: Access,
  deps: { identity: IdentityService; customers: CustomersModule; tickets: TicketService; mailer: Mailer },
): PortalModule {
  const invitations = new Invitations(platform, deps.identity, deps.mailer);
  // Work waits for the customer's yes: no engineer is sent while a quote awaits their decision.
  deps.tickets.addGuard('dispatch', async (tx, ticket) => {
    const [waiting] = await tx
      .select({ id: quotes.id })
      .from(quotes)
      .where(and(eq(quotes.ticketId, ticket.id), eq(quotes.state, 'pending')));
    if (waiting) throw new AppError(409, 'ticket.quote_pending', { quoteId: waiting.id });
  });
  return {
    invitations,
    http: {
      name: 'portal',
      routes: async (app) => {
        await invitationRoutes(platform, access, invitations, deps.customers)(app);
        await faqRoutes(platform, access)(app);
        await quoteRoutes(platform, access)(app);
        await trackingRoutes(platform, access, deps.tickets)(app);
        await documentRoutes(platform, access, deps.mailer)(app);
      },
    },
  };
}
