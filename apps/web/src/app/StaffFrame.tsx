import { App as AntApp } from 'antd';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { ReactNode } from 'react';
import { MessageHost } from '../lib/message';
import i18n from './i18n';

// Dates in the staff's pages follow the language; the portal shows none formatted by dayjs.
const datesIn = (language: string) => dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
datesIn(i18n.language);
i18n.on('languageChanged', datesIn);

/**
 * Around the console and the field app: antd's App (message, modal, notification for their
 * pages) and the toasts shared components read. Loaded with those layouts, never by the portal.
 */
export function StaffFrame({ children }: { children: ReactNode }) {
  return (
    <AntApp>
      <MessageHost>{children}</MessageHost>
    </AntApp>
  );
}
