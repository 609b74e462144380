import type { Platform } from '../../platform/index';
import type { SurveyService } from './service';

/** Every event the surveys module reacts to, registered here and nowhere else. */
export function registerSurveysReactions(platform: Platform, service: SurveyService): void {
  platform.subscribers.register({
    name: 'surveys.on_close',
    // Every close, a customer's confirmation included (it is followed by ticket.closed).
    types: ['ticket.closed'],
    // Once per ticket; a ticket that is not closed (an outbox row from before ticket.closed
    // followed confirmations) gets none.
    handle: (event, tx) => service.createFor(tx, event.entityId).then(() => undefined),
  });
}
