import type { Platform } from '../../platform/index';
import type { Automation } from './service';

/** Every event the automation module reacts to, registered here and nowhere else. */
export function registerAutomationReactions(platform: Platform, automation: Automation): void {
  platform.subscribers.register({
    name: 'automation.rules',
    // Events rules listen to (their triggers), plus the rule set's own changes (to keep schedules).
    types: [
      'ticket.*',
      'sla.warning',
      'sla.breached',
      'survey.answered',
      'parts.reorder_needed',
      'telemetry.alert',
      'analytics.spike_detected',
      'automationRule.created',
      'automationRule.updated',
    ],
    ...automation.reaction(),
  });
}
