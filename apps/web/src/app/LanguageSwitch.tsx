import { theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from './auth';
import { LANGUAGES, type Language } from './i18n';

const LABELS: Record<Language, string> = { 'zh-CN': '简体中文', 'en-US': 'English' };

/**
 * The browser's own select: it opens the phone's native picker, and spares every first load
 * antd's Select (with its virtual list and popup machinery, ~25 KB compressed) for two choices.
 */
export function LanguageSwitch() {
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
        border: 'none',
        background: 'transparent',
        color: token.colorText,
        font: 'inherit',
        fontSize: token.fontSizeSM + 1,
        cursor: 'pointer',
        padding: '2px 0',
      }}
    >
      {LANGUAGES.map((value) => (
        <option key={value} value={value}>
          {LABELS[value]}
        </option>
      ))}
    </select>
  );
}
