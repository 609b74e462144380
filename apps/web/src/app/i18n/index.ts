// The portal's sections only; the console and the field app add the rest (loadStaffMessages).
import portalMessages from 'virtual:messages/zh-CN/portal';
import i18n, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['zh-CN', 'en-US'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'serviceloop.language';

/** Before sign-in the choice lives in the browser; after, in the user's profile. */
export function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en-US' ? 'en-US' : 'zh-CN';
}

export function rememberLanguage(lng: Language) {
  localStorage.setItem(STORAGE_KEY, lng);
}

/**
 * Chinese ships in the first download; English (another 15 KB compressed) is fetched only by a
 * reader who chooses it. changeLanguage waits for it, so a switch never shows raw keys.
 */
const otherLanguages: BackendModule = {
  type: 'backend',
  init() {},
  read(language, _namespace, done) {
    if (language !== 'en-US') return done(null, {});
    import('./en-US').then(
      (module) => done(null, module.enUS),
      (error: Error) => done(error, null),
    );
  },
};

void i18n
  .use(otherLanguages)
  .use(initReactI18next)
  .init({
    resources: { 'zh-CN': { translation: portalMessages } },
    partialBundledLanguages: true,
    lng: initialLanguage(),
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
  });

export default i18n;

/** The rest of the Chinese messages: the console's and field app's layouts wait for them. */
export async function loadStaffMessages(): Promise<void> {
  const { default: staff } = await import('virtual:messages/zh-CN/staff');
  i18n.addResourceBundle('zh-CN', 'translation', staff, true, false);
}
