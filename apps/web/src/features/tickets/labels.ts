/** Colours for ticket states and priorities, shared by lists and the detail page. */
export const STATE_COLOR: Record<string, string> = {
  new: 'blue',
  triaged: 'geekblue',
  remote_support: 'cyan',
  dispatched: 'purple',
  on_site: 'orange',
  resolved: 'lime',
  awaiting_confirmation: 'gold',
  closed: 'green',
  suspended: 'default',
  cancelled: 'default',
};
export const PRIORITY_COLOR: Record<string, string> = { P0: 'red', P1: 'volcano', P2: 'orange', P3: 'default' };
export const STATES = Object.keys(STATE_COLOR);
/** Every state but the two that end a ticket. */
export const OPEN_STATES = STATES.filter((s) => s !== 'closed' && s !== 'cancelled');
export const CHANNELS = ['phone', 'wechat', 'portal', 'email', 'api', 'field', 'telemetry'];
export const PRIORITIES = ['P0', 'P1', 'P2', 'P3'];
