import type { Page, Ticket } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, List, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { OPEN_STATES, PRIORITY_COLOR } from '../../features/tickets/labels';
import { get, query } from '../../lib/api';

/** One short list of tickets, each a link to its page. */
function TicketList({ testId, title, path, late }: { testId: string; title: string; path: string; late?: boolean }) {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ['/tickets', 'home', path], queryFn: () => get<Page<Ticket>>(path) });
  return (
    <Card title={title} size="small" data-testid={testId} extra={<Link to="/console/tickets">{t('home.all')}</Link>}>
      <List
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('home.nothing') }}
        renderItem={(ticket) => {
          const due = ticket.resolutionDueAt ? new Date(ticket.resolutionDueAt) : null;
          return (
            <List.Item
              extra={
                due && (
                  <Typography.Text type={late && due < new Date() ? 'danger' : 'secondary'}>
                    {t('home.due', { at: due.toLocaleString() })}
                  </Typography.Text>
                )
              }
            >
              <Link to={`/console/tickets/${ticket.id}`}>
                {ticket.priority && <Tag color={PRIORITY_COLOR[ticket.priority]}>{ticket.priority}</Tag>}
                {ticket.number} {ticket.title}
              </Link>
            </List.Item>
          );
        }}
      />
    </Card>
  );
}

/** The dispatcher's day: reports waiting for triage or dispatch, and open tickets nearest their deadline. */
export function DispatcherDay() {
  const { t } = useTranslation();
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <TicketList
          testId="home-queue"
          title={t('home.queue')}
          path={`/tickets${query({ state: 'new,triaged', sort: 'sla_asc', pageSize: 8 })}`}
        />
      </Col>
      <Col xs={24} lg={12}>
        <TicketList
          testId="home-at-risk"
          title={t('home.atRisk')}
          late
          path={`/tickets${query({ state: OPEN_STATES.join(','), sort: 'due_asc', pageSize: 8 })}`}
        />
      </Col>
    </Row>
  );
}
