import { CloudSyncOutlined, DisconnectOutlined, WifiOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Layout, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { useAuth } from '../app/auth';
import { LanguageSwitch } from '../app/LanguageSwitch';
import { ConflictList } from './ConflictList';
import { outbox } from './outbox';
import { useOutbox } from './useOutbox';

/**
 * The engineer's phone layout: light, one column, the network and the outbox always in sight.
 * Registers the service worker that keeps the whole app for opening /field without a network.
 */
export default function FieldLayout() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const client = useQueryClient();
  const box = useOutbox();
  const pending =
    box.ops.filter((o) => o.state === 'pending').length + box.photos.filter((p) => p.state === 'pending').length;

  useEffect(() => {
    if ('serviceWorker' in navigator) {
      // Workbox's worker (built by vite-plugin-pwa) precaches the whole app at install.
      navigator.serviceWorker.register('/field-sw.js', { scope: '/field' }).catch(() => undefined);
      // The hand-written worker of earlier releases kept its own cache: nothing reads it any more.
      void caches?.delete('serviceloop-field-shell-v1');
    }
    const stop = outbox.onSynced(() => void client.invalidateQueries({ queryKey: ['field'] }));
    return () => {
      stop();
    };
  }, [client]);

  return (
    <Layout style={{ minHeight: '100vh', maxWidth: 560, margin: '0 auto', background: '#f5f7fa' }}>
      <Layout.Header
        style={{
          background: '#1668dc',
          color: '#fff',
          display: 'flex',
          gap: 8,
          alignItems: 'center',
          height: 52,
          // Each item centres itself: a 52px line box would drop the ellipsised title to its baseline.
          lineHeight: 'normal',
          padding: '0 8px 0 12px',
          position: 'sticky',
          top: 0,
          zIndex: 10,
        }}
      >
        <Link to="/field" style={{ color: '#fff', flex: 1, minWidth: 0, display: 'flex' }}>
          <Typography.Text style={{ color: '#fff', width: '100%' }} strong ellipsis data-testid="field-title">
            {t('field.title')} · {me?.displayName}
          </Typography.Text>
        </Link>
        <span data-testid="field-network" data-online={box.online}>
          {box.online ? <WifiOutlined /> : <DisconnectOutlined style={{ color: '#ffccc7' }} />}
        </span>
        <Badge count={pending} size="small" data-testid="field-pending" title={t('field.pending', { count: pending })}>
          <Button
            size="small"
            icon={<CloudSyncOutlined spin={box.syncing} />}
            onClick={() => void outbox.sync()}
            disabled={!box.online}
            aria-label={t('field.syncNow')}
          />
        </Badge>
        <LanguageSwitch onColour />
      </Layout.Header>
      {!box.online && (
        <div style={{ background: '#fff7e6', padding: '6px 12px', fontSize: 13 }} data-testid="field-offline">
          {t('field.offlineNote')}
        </div>
      )}
      <Layout.Content style={{ padding: 12 }}>
        <ConflictList />
        <Outlet />
      </Layout.Content>
    </Layout>
  );
}
