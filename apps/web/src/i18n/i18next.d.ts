import 'i18next';
import type { Messages } from './zh-CN';

/**
 * `t()` knows the messages: a key that zh-CN.ts lacks (misspelt, or removed with its last reader)
 * fails the typecheck instead of showing the raw key on screen. en-US.ts is typed as Messages, so
 * it cannot lack one either.
 */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}
