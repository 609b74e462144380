import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
// The ES builds: `antd/locale/*` is CommonJS and would bring a second copy of what antd already holds.
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { AuthProvider } from './auth';
import i18n from './i18n';
import { router } from './routes';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

function Localised() {
  const { i18n: current } = useTranslation();
  const zh = current.language === 'zh-CN';
  return (
    <ConfigProvider locale={zh ? zhCN : enUS} theme={{ token: { colorPrimary: '#1668dc' } }}>
      {/* antd's App (message, modal, notification) is brought by the console and the field app, not here:
          the portal's first load has only its toasts (lib/message.tsx). */}
      <AuthProvider>
        <RouterProvider router={router} />
      </AuthProvider>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nextProvider i18n={i18n}>
        <Localised />
      </I18nextProvider>
    </QueryClientProvider>
  );
}
