import { GlobalOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from './auth';
import { LANGUAGES, type Language } from './i18n';

const LABELS: Record<Language, string> = { 'zh-CN': '简体中文', 'en-US': 'English' };

export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  const { setLanguage } = useAuth();
  return (
    <Select
      aria-label={t('app.language')}
      data-testid="language-switch"
      size="small"
      variant="borderless"
      suffixIcon={<GlobalOutlined />}
      value={i18n.language as Language}
      onChange={(lng) => void setLanguage(lng)}
      options={LANGUAGES.map((value) => ({ value, label: LABELS[value] }))}
      style={{ width: 120 }}
    />
  );
}
