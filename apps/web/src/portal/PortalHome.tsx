import { Button, Card, Layout, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth } from '../app/auth';
import { LanguageSwitch } from '../app/LanguageSwitch';
import { TicketCards } from '../features/tickets/TicketCards';

/** The customer's self-service portal: my organisation's service requests, tracked on the ticket page. */
export default function PortalHome() {
  const { t } = useTranslation();
  const { me, logout } = useAuth();
  const navigate = useNavigate();
  return (
    <Layout style={{ minHeight: '100vh', maxWidth: 560, margin: '0 auto' }}>
      <Layout.Header
        style={{
          background: '#fff',
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'center',
          padding: '0 16px',
        }}
      >
        <Typography.Text strong>{t('portal.title')}</Typography.Text>
        <LanguageSwitch />
      </Layout.Header>
      <Layout.Content style={{ padding: 12 }}>
        <Card title={t('portal.requests')} extra={me?.displayName}>
          <TicketCards filter={{}} empty={t('portal.empty')} />
        </Card>
        <Button
          block
          style={{ marginTop: 12 }}
          onClick={async () => {
            await logout();
            void navigate('/login');
          }}
        >
          {t('auth.logout')}
        </Button>
      </Layout.Content>
    </Layout>
  );
}
