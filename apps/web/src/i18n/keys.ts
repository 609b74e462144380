import type { TFunction } from 'i18next';
import type { Messages } from './zh-CN';

/** Every message's dotted key, `tickets.states.new` and so on: what `t()` accepts. */
type Keys<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Keys<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MessageKey = Keys<Messages>;

/** The dotted paths of the message groups (objects, not single messages): `tickets.states`, `analytics`… */
type Groups<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? never : `${P}${K}` | Groups<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MessageGroup = Groups<Messages>;

/**
 * The message for a code that arrives with the data (a ticket state, a role, a channel, a reason
 * the server gave): the group is checked by the typecheck, the code cannot be, so a code without
 * a message shows as its raw key — what tests/e2e/zh-ui.e2e.ts walks the pages for.
 */
export function labelOf(
  t: TFunction,
  group: MessageGroup,
  code: string | number,
  options?: Record<string, unknown>,
): string {
  return String(t(`${group}.${code}` as never, options as never));
}
