import type { AnalyticsFilter, EngineerStats } from '@serviceloop/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { get, query } from '../../lib/api';
import { percent } from './charts';
import { useMinutes } from './KpiCards';

/** The engineers over the period: tickets closed, median time to resolve, first-time fix, satisfaction. */
export function EngineerLeaderboard({ base }: { base: AnalyticsFilter }) {
  const { t } = useTranslation();
  const minutes = useMinutes();
  const engineers = useQuery({
    queryKey: ['analytics', 'engineers', base],
    queryFn: () => get<EngineerStats[]>(`/analytics/engineers${query(base)}`),
    placeholderData: keepPreviousData,
  });
  return (
    <Card title={t('analytics.leaderboard')}>
      <Table
        size="small"
        rowKey="engineerId"
        data-testid="engineer-leaderboard"
        dataSource={engineers.data ?? []}
        pagination={{ pageSize: 6, hideOnSinglePage: true }}
        columns={[
          { title: t('analytics.engineer'), dataIndex: 'name' },
          { title: t('analytics.closed'), dataIndex: 'closed', align: 'right' },
          {
            title: t('analytics.mttrMedian'),
            dataIndex: 'medianResolveMinutes',
            align: 'right',
            render: (m: number | null) => minutes(m),
          },
          { title: t('analytics.ftf'), dataIndex: 'firstTimeFix', align: 'right', render: percent },
          {
            title: t('analytics.csat'),
            dataIndex: 'csat',
            align: 'right',
            render: (v: number | null) => (v === null ? '—' : v.toFixed(2)),
          },
          { title: t('analytics.openNow'), dataIndex: 'openNow', align: 'right' },
        ]}
      />
    </Card>
  );
}
