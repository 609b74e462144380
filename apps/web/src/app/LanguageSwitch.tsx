import { theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from './auth';
import { LANGUAGES, type Language } from './i18n';

const LABELS: Record<Language, string> = { 'zh-CN': '简体中文', 'en-US': 'English' };

/**
 * The browser's own select: it opens the phone's native picker, and spares every first load
 * antd's Select (with its virtual list and popup machinery, ~25 KB compressed) for two choices.
 * `onColour` is for a coloured bar (the field app's blue header): white text on a faint outline
 * instead of a white box; the options keep the theme's colours because the browser's popup
 * takes them from the select.
 */
export function LanguageSwitch({ onColour = false }: { onColour?: boolean }) {
  const { i18n, t } = useTranslation();
  const { setLanguage } = useAuth();
  const { token } = theme.useToken();
  return (
    <select
      aria-label={t('app.language')}
      data-testid="language-switch"
      value={i18n.language as Language}
      onChange={(e) => void setLanguage(e.target.value as Language)}
      style={{
        background: 'transparent',
        color: onColour ? '#fff' : token.colorText,
        // The native arrow follows the colour scheme: light on the blue bar.
        colorScheme: onColour ? 'dark' : 'light',
        border: onColour ? '1px solid rgba(255, 255, 255, 0.55)' : 'none',
        borderRadius: token.borderRadiusSM,
        font: 'inherit',
        fontSize: token.fontSizeSM + 1,
        lineHeight: 'normal',
        cursor: 'pointer',
        padding: onColour ? '2px 4px' : '2px 0',
      }}
    >
      {LANGUAGES.map((value) => (
        <option key={value} value={value} style={{ color: token.colorText, background: token.colorBgElevated }}>
          {LABELS[value]}
        </option>
      ))}
    </select>
  );
}
