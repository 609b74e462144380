import type { Ticket } from '@serviceloop/contracts';
import { Empty, List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePagedList } from '../../lib/hooks';
import { PRIORITY_COLOR, STATE_COLOR } from './labels';

/** Tickets as phone-sized cards, for the engineer's jobs and the customer's requests. */
export function TicketCards({ filter, empty }: { filter: Record<string, unknown>; empty: string }) {
  const { t } = useTranslation();
  const list = usePagedList<Ticket>('/tickets', filter);
  if (!list.isLoading && !list.data?.items.length) return <Empty description={empty} />;
  return (
    <List
      loading={list.isLoading}
      dataSource={list.data?.items}
      renderItem={(ticket) => (
        <List.Item>
          <Link to={`/console/tickets/${ticket.id}`} style={{ width: '100%' }} data-testid="ticket-card">
            <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
              <Typography.Text strong ellipsis>
                {ticket.title}
              </Typography.Text>
              <span>
                {ticket.priority && <Tag color={PRIORITY_COLOR[ticket.priority]}>{ticket.priority}</Tag>}
                <Tag color={STATE_COLOR[ticket.state]}>{t(`tickets.states.${ticket.state}`)}</Tag>
              </span>
            </div>
            <Typography.Text type="secondary">
              {ticket.number} · {ticket.customerName ?? ''} · {new Date(ticket.reportedAt).toLocaleDateString()}
            </Typography.Text>
          </Link>
        </List.Item>
      )}
    />
  );
}
