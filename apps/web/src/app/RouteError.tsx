import { DisconnectOutlined, ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { isChunkLoadError, reloadOnce } from './staleChunks';

/** Where "home" is for the face the reader is in. */
function homeOf(pathname: string): string {
  const face = pathname.split('/')[1];
  return face === 'portal' || face === 'field' || face === 'console' ? `/${face}` : '/';
}

/**
 * The error page of every route, in the reader's language, instead of React Router's English
 * developer page. A chunk of an older release (after a restart or an upgrade) reloads the page once;
 * offline, it says the page is not on this device yet.
 */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  const stale = isChunkLoadError(error);
  const offline = stale && !navigator.onLine;
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  useEffect(() => {
    if (stale && !offline) reloadOnce();
  }, [stale, offline]);

  const [title, text] = offline
    ? [t('errorPage.offlineTitle'), t('errorPage.offline')]
    : stale
      ? [t('errorPage.staleTitle'), t('errorPage.stale')]
      : notFound
        ? [t('common.notFound'), t('errorPage.notFound')]
        : [t('errorPage.title'), t('errorPage.text')];
  const detail = error instanceof Error ? error.message : isRouteErrorResponse(error) ? String(error.status) : '';
  return (
    <Flex
      vertical
      align="center"
      gap={12}
      style={{ padding: '64px 16px', textAlign: 'center' }}
      data-testid="route-error"
    >
      {offline ? (
        <DisconnectOutlined style={{ fontSize: 48, color: '#faad14' }} />
      ) : (
        <WarningOutlined style={{ fontSize: 48, color: '#faad14' }} />
      )}
      <Typography.Title level={4} style={{ margin: 0 }}>
        {title}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 420, margin: 0 }}>
        {text}
      </Typography.Paragraph>
      <Flex gap={8} wrap justify="center">
        <Button type="primary" icon={<ReloadOutlined />} onClick={() => window.location.reload()}>
          {t('errorPage.reload')}
        </Button>
        <Button href={homeOf(window.location.pathname)}>{t('errorPage.home')}</Button>
      </Flex>
      {detail && !notFound && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} copyable>
          {detail}
        </Typography.Text>
      )}
    </Flex>
  );
}
