import type { InboxItem } from '@serviceloop/contracts';
import type { Reaction } from '../../platform/index';
import type { Fanout } from './fanout';

/**
 * Tells the owner of an account when someone keeps failing to sign in to it (identity's
 * `auth.login_throttled`, once per run of failures from an address): in the inbox, and by e-mail
 * when mail is configured and the user has an address. No subscription is needed — it is their
 * own account — and quiet hours do not hold it back.
 */
export function accountSecurityReaction(
  fanout: Fanout,
  afterCommit: (pushed: { userId: string; item: InboxItem }[]) => void,
): Reaction {
  let pending: { userId: string; item: InboxItem }[] = [];
  return {
    async handle(event, tx) {
      const pushed = await fanout.direct(tx, event, {
        recipients: [{ kind: 'user', userId: event.entityId }],
        channels: ['in_app', 'email'],
        title: NOTICE['zh-CN'].title,
        body: NOTICE['zh-CN'].body,
        byLocale: NOTICE,
      });
      pending.push(...pushed);
    },
    rolledBack() {
      pending = [];
    },
    afterCommit() {
      const items = pending;
      pending = [];
      afterCommit(items);
    },
  };
}

const NOTICE = {
  'zh-CN': {
    title: '您的账号多次登录失败',
    body: '有人从 {{address}} 连续 {{failures}} 次输错了您账号的密码，来自该地址的登录现已放慢。您本人从其他地方登录不受影响。如果这不是您，请修改密码并告知管理员。',
  },
  'en-US': {
    title: 'Repeated failed sign-ins to your account',
    body: 'Someone at {{address}} entered a wrong password for your account {{failures}} times in a row; sign-ins from that address are now slowed down. You can still sign in from elsewhere. If this was not you, change your password and tell your administrator.',
  },
};
