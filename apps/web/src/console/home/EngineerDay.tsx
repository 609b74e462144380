import type { FieldJob } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Card, List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../../lib/api';

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** The engineer's day: today's visits in order, each opening the job in the field app. */
export function EngineerDay() {
  const { t } = useTranslation();
  const jobs = useQuery({ queryKey: ['/field/jobs', 'home'], queryFn: () => get<FieldJob[]>('/field/jobs') });
  return (
    <Card
      title={t('home.visitsToday')}
      size="small"
      data-testid="home-visits"
      extra={<Link to="/field">{t('nav.field')}</Link>}
    >
      <List
        size="small"
        loading={jobs.isLoading}
        dataSource={jobs.data ?? []}
        locale={{ emptyText: t('home.noVisits') }}
        renderItem={(job) => (
          <List.Item extra={job.checkedOutAt ? <Tag color="green">{t('home.visitDone')}</Tag> : null}>
            <Link to={`/field/jobs/${job.visitId}`}>
              <Typography.Text strong>
                {time(job.plannedStart)}–{time(job.plannedEnd)}
              </Typography.Text>{' '}
              {job.ticket.customerName ?? ''} · {job.ticket.title}
              {job.ticket.address && <Typography.Text type="secondary"> · {job.ticket.address}</Typography.Text>}
            </Link>
          </List.Item>
        )}
      />
    </Card>
  );
}
