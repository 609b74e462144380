import type { AnalyticsFilter, Trend, TrendMeasure } from '@serviceloop/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Select } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, query } from '../../lib/api';
import { trendChartOption } from './charts';
import { EChart } from './EChart';

/** A measure month by month against the period before. */
export function TrendCard({ base }: { base: AnalyticsFilter }) {
  const { t } = useTranslation();
  const [measure, setMeasure] = useState<TrendMeasure>('created');
  const trend = useQuery({
    queryKey: ['analytics', 'trend', measure, base],
    queryFn: () => get<Trend>(`/analytics/trend${query({ ...base, measure, interval: 'month' })}`),
    placeholderData: keepPreviousData,
  });
  const trendChart = useMemo(
    () => trendChartOption(trend.data, { current: t('analytics.thisPeriod'), previous: t('analytics.previousPeriod') }),
    [trend.data, t],
  );
  return (
    <Card
      title={t('analytics.trend')}
      extra={
        <Select
          style={{ width: 160 }}
          value={measure}
          aria-label={t('analytics.measure')}
          onChange={setMeasure}
          options={(['created', 'closed', 'fcr', 'csat', 'timeToResolve', 'repeatRepair'] as const).map((m) => ({
            value: m,
            label: t(`analytics.measures.${m}`),
          }))}
        />
      }
    >
      <div data-testid="trend-chart">
        <EChart option={trendChart} height={280} />
      </div>
    </Card>
  );
}
