import type { Ticket } from '@serviceloop/contracts';
import { Table, type TableProps, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { labelOf } from '../../i18n/keys';
import { PRIORITY_COLOR, STATE_COLOR } from './labels';

/** Tickets as a table: used by the ticket list and by the customer and device 360° pages. */
export function TicketTable(props: TableProps<Ticket>) {
  const { t } = useTranslation();
  return (
    <Table<Ticket>
      rowKey="id"
      size="small"
      scroll={{ x: 900 }}
      columns={[
        {
          title: t('tickets.number'),
          dataIndex: 'number',
          render: (n, r) => <Link to={`/console/tickets/${r.id}`}>{n}</Link>,
          width: 150,
        },
        { title: t('tickets.title'), dataIndex: 'title', ellipsis: true },
        { title: t('tickets.customer'), dataIndex: 'customerName', ellipsis: true },
        {
          title: t('tickets.priority'),
          dataIndex: 'priority',
          width: 80,
          render: (p) => (p ? <Tag color={PRIORITY_COLOR[p]}>{p}</Tag> : '—'),
        },
        {
          title: t('tickets.state'),
          dataIndex: 'state',
          width: 120,
          render: (s) => <Tag color={STATE_COLOR[s]}>{labelOf(t, 'tickets.states', s)}</Tag>,
        },
        {
          title: t('tickets.resolutionDue'),
          dataIndex: 'resolutionDueAt',
          width: 170,
          render: (d: string | null, r) =>
            d ? (
              <span
                style={{
                  color: new Date(d) < new Date() && !['closed', 'cancelled'].includes(r.state) ? '#cf1322' : undefined,
                }}
              >
                {new Date(d).toLocaleString()}
              </span>
            ) : (
              '—'
            ),
        },
        {
          title: t('tickets.reportedAt'),
          dataIndex: 'reportedAt',
          width: 170,
          render: (d: string) => new Date(d).toLocaleString(),
        },
      ]}
      {...props}
    />
  );
}
