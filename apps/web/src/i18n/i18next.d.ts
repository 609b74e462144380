import 'i18next';
import type { Messages } from './zh-CN';

/**
 * `t()` knows the messages: a key that the zh-CN messages lack (misspelt, or removed with its last
 * reader) fails the typecheck instead of showing the raw key on screen. Each file of en-US/ is
 * typed by its zh-CN/ twin and en-US.ts as Messages, so English cannot lack one either.
 */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}
