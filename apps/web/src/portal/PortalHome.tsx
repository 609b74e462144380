import type { Page, Survey, Ticket } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, Space, Spin, Tag, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { STATE_COLOR } from '../features/tickets/labels';
import { get } from '../lib/api';
import { usePagedList } from '../lib/hooks';
import { Panel } from '../lib/Panel';

/** My organisation's service requests, newest first, and surveys waiting for an answer. */
export default function PortalHome() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const list = usePagedList<Ticket>('/tickets', {});
  const surveys = useQuery({
    queryKey: ['surveys', 'pending'],
    queryFn: () => get<Page<Survey>>('/surveys?state=pending&pageSize=5'),
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {surveys.data?.items.map((s) => (
        <Alert
          key={s.id}
          type="info"
          showIcon
          message={t('portal.survey.invite', { number: s.ticketNumber })}
          action={
            <Link to={`/portal/tickets/${s.ticketId}#survey`}>
              <Button size="small" type="primary">
                {t('portal.survey.rate')}
              </Button>
            </Link>
          }
        />
      ))}
      {/* Panel and plain rows rather than Card and List: the customer's first screen (lib/Panel.tsx). */}
      <Panel
        title={t('portal.requests')}
        extra={
          <Link to="/portal/report">
            <Button type="primary" size="small" data-testid="portal-report">
              {t('portal.nav.report')}
            </Button>
          </Link>
        }
        bodyStyle={{ padding: '0 12px' }}
      >
        {list.isLoading ? (
          <Spin style={{ display: 'block', padding: 24 }} />
        ) : !list.data?.items.length ? (
          <Empty description={t('portal.empty')} />
        ) : (
          list.data.items.map((ticket, i) => (
            <div
              key={ticket.id}
              style={{ padding: '12px 0', borderTop: i ? `1px solid ${token.colorSplit}` : undefined }}
            >
              <Link to={`/portal/tickets/${ticket.id}`} style={{ display: 'block' }} data-testid="ticket-card">
                <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                  <Typography.Text strong ellipsis>
                    {ticket.title}
                  </Typography.Text>
                  <Tag color={STATE_COLOR[ticket.state]}>{t(`tickets.states.${ticket.state}`)}</Tag>
                </div>
                <Typography.Text type="secondary">
                  {ticket.number} · {new Date(ticket.reportedAt).toLocaleString()}
                </Typography.Text>
              </Link>
            </div>
          ))
        )}
      </Panel>
    </Space>
  );
}
