/**
 * notifications — telling people what happened: the in-app inbox (live over server-sent events),
 * email, SMS, the group robots Chinese service teams use (企业微信 WeCom, 钉钉 DingTalk, 飞书
 * Feishu/Lark) and signed outbound webhooks. Subscriptions say who hears about which event on
 * which channel; templates per event and language say what they read; each user's preferences
 * switch channels off, set quiet hours and the language. It learns what happened only from events.
 * Every outbound URL passes the SSRF guard (outbound.ts); deliveries retry with backoff and are
 * logged per attempt (deliveries.ts). docs/notifications.md.
 */

import type { InboxItem } from '@serviceloop/contracts';
import { Records } from '../../platform/db/records';
import type { HttpModule } from '../../platform/http/app';
import { registerMessages } from '../../platform/i18n';
import type { Platform, StoredEvent, Tx } from '../../platform/index';
import type { Access } from '../identity/index';
import {
  type Channels,
  emailChannel,
  loggingSmsProvider,
  robotChannel,
  type SmsProvider,
  smsChannel,
  webhookChannel,
} from './channels';
import { DeliveryWorker, finishedDeliveries } from './deliveries';
import { Endpoints } from './endpoints';
import { type DirectMessage, Fanout } from './fanout';
import { Inbox, InboxFeed } from './inbox';
import { inboxRoutes } from './inbox-routes';
import { OutboundGuard, type Resolver } from './outbound';
import { registerNotificationsReactions } from './reactions';
import { setupRoutes } from './setup-routes';
import { notificationAllowedHosts, notificationSubscriptions, notificationTemplates } from './tables';
import { ensureDefaultTemplates } from './template-store';
import { weeklyDigestJob } from './weekly-digest';

export type { DirectMessage } from './fanout';
export { OutboundGuard, publicAddress, redactUrl } from './outbound';

type PushedItem = { userId: string; item: InboxItem };

registerMessages({
  'entity.notification': { 'zh-CN': '通知', 'en-US': 'Notification' },
  'entity.notification_endpoint': { 'zh-CN': '通知端点', 'en-US': 'Notification endpoint' },
  'entity.notification_host': { 'zh-CN': '允许的主机', 'en-US': 'Allowed host' },
  'entity.notification_delivery': { 'zh-CN': '投递记录', 'en-US': 'Delivery' },
  'entity.notificationSubscription': { 'zh-CN': '通知订阅', 'en-US': 'Notification subscription' },
  'entity.notificationTemplate': { 'zh-CN': '通知模板', 'en-US': 'Notification template' },
  'notify.url_refused': {
    'zh-CN': '出于安全原因拒绝该地址（{reason}）；如确需访问内网主机，请管理员将其加入允许列表',
    'en-US': 'This address is refused for safety ({reason}); an administrator may allow-list an internal host',
  },
  'notify.delivery_skipped': {
    'zh-CN': '该消息未发送（{reason}），无法重新投递；请先补全收件人信息或渠道配置',
    'en-US':
      'This message was never sent ({reason}) and cannot be redelivered; complete the recipient or channel first',
  },
  'validation.notify.url': { 'zh-CN': '请输入 http(s) 网址', 'en-US': 'Enter an http(s) URL' },
  'validation.notify.host': { 'zh-CN': '请输入主机名或 IP 地址', 'en-US': 'Enter a host name or IP address' },
  'validation.notify.recipient': {
    'zh-CN': '请选择接收人：指定用户、角色或端点',
    'en-US': 'Choose the recipient: a user, a role or an endpoint',
  },
  'validation.notify.time': { 'zh-CN': '时间格式为 HH:MM', 'en-US': 'Use HH:MM' },
  'validation.notify.quiet_empty': {
    'zh-CN': '免打扰的开始和结束不能相同',
    'en-US': 'Quiet hours must start and end at different times',
  },
});

export interface NotificationsModule {
  http: HttpModule;
  /**
   * Messages other modules compose (automation's notify and escalate actions): `send` queues them
   * in the caller's transaction; `sent` hands the inbox items to live streams and wakes the
   * sender once that transaction has committed.
   */
  messages: {
    send(tx: Tx, event: StoredEvent, message: DirectMessage): Promise<PushedItem[]>;
    sent(items: PushedItem[]): void;
  };
  inbox: Inbox;
  feed: InboxFeed;
  worker: DeliveryWorker;
  guard: OutboundGuard;
  sms: SmsProvider;
  /** Installs the default templates (idempotent). */
  startup(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

export interface NotificationsOptions {
  /** The SMS provider; a fresh installation logs messages instead of sending them. */
  sms?: SmsProvider;
  /** Name resolution for the SSRF guard (tests point a name at loopback). */
  resolve?: Resolver;
  /** Jitter source for retry delays (tests make it predictable). */
  random?: () => number;
}

export function createNotificationsModule(
  platform: Platform,
  access: Access,
  options: NotificationsOptions = {},
): NotificationsModule {
  const guard = new OutboundGuard(async () => {
    const rows = await platform.db.select({ host: notificationAllowedHosts.host }).from(notificationAllowedHosts);
    return new Set(rows.map((r) => r.host));
  }, options.resolve);
  const sms = options.sms ?? loggingSmsProvider(platform.log);
  const email = emailChannel(platform.config.smtp?.url, platform.config.smtp?.from ?? '');
  const channels: Channels = {
    email,
    sms: smsChannel(sms),
    wecom: robotChannel('wecom', guard),
    dingtalk: robotChannel('dingtalk', guard),
    feishu: robotChannel('feishu', guard),
    webhook: webhookChannel(guard),
  };
  const worker = new DeliveryWorker(platform, channels, {
    robotPerMinute: platform.config.notifyRobotPerMinute,
    random: options.random,
  });
  const feed = new InboxFeed(platform.bus);
  const inbox = new Inbox(platform);
  const fanout = new Fanout(platform);
  const sent = (pushed: PushedItem[]) => {
    feed.publish(pushed);
    worker.kick();
  };
  registerNotificationsReactions(platform, fanout, sent);
  platform.housekeeping.register(finishedDeliveries);
  const digest = weeklyDigestJob(platform);
  const endpoints = new Endpoints(platform, guard);
  const records = {
    subscriptions: new Records(platform, notificationSubscriptions, 'notificationSubscription'),
    templates: new Records(platform, notificationTemplates, 'notificationTemplate', {
      notification_templates_event_type_locale_key: 'locale',
    }),
  };
  return {
    messages: { send: (tx, event, message) => fanout.direct(tx, event, message), sent },
    inbox,
    feed,
    worker,
    guard,
    sms,
    http: {
      name: 'notifications',
      routes: async (app) => {
        await inboxRoutes(access, inbox, feed)(app);
        await setupRoutes(platform, access, records, endpoints, worker)(app);
      },
    },
    startup: async () => {
      await platform.transaction((tx) => ensureDefaultTemplates(tx, platform.clock.now()));
      await digest.startup();
    },
    start: () => worker.start(),
    stop: async () => {
      await worker.stop();
      email.close();
    },
  };
}
