import { Card, Layout, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../app/auth';
import { LanguageSwitch } from '../app/LanguageSwitch';
import { TicketCards } from '../features/tickets/TicketCards';

/** The engineer's phone-first app: open jobs assigned to me (the visit workflow itself is on the ticket page). */
export default function FieldHome() {
  const { t } = useTranslation();
  const { me } = useAuth();
  return (
    <Layout style={{ minHeight: '100vh', maxWidth: 560, margin: '0 auto' }}>
      <Layout.Header
        style={{
          background: '#1668dc',
          color: '#fff',
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'center',
          padding: '0 16px',
        }}
      >
        <Typography.Text style={{ color: '#fff' }} strong>
          {t('field.title')} · {me?.displayName}
        </Typography.Text>
        <LanguageSwitch />
      </Layout.Header>
      <Layout.Content style={{ padding: 12 }}>
        <Card title={t('field.today')}>
          {me && (
            <TicketCards
              filter={{ assigneeId: me.id, state: 'dispatched,on_site,remote_support' }}
              empty={t('field.empty')}
            />
          )}
        </Card>
      </Layout.Content>
    </Layout>
  );
}
