import { type InboxItem, NOTIFIABLE_EVENTS } from '@serviceloop/contracts';
import type { Platform } from '../../platform/index';
import { accountSecurityReaction } from './account-security';
import { type Fanout, fanoutReaction } from './fanout';

type Pushed = { userId: string; item: InboxItem }[];

/** Every event the notifications module reacts to, registered here and nowhere else. */
export function registerNotificationsReactions(
  platform: Platform,
  fanout: Fanout,
  sent: (pushed: Pushed) => void,
): void {
  // Renaming a subscriber orphans its pending deliveries (see Subscriber.name).
  platform.subscribers.register({
    name: 'notifications.fanout',
    // The events a subscription may name (NotifiableEvent in contracts/notifications.ts).
    types: NOTIFIABLE_EVENTS,
    ...fanoutReaction(fanout, sent),
  });
  platform.subscribers.register({
    name: 'notifications.account_security',
    types: ['auth.login_throttled'],
    ...accountSecurityReaction(fanout, sent),
  });
}
