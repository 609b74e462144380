import type { AnalyticsFilter, ParetoDimension } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Col, DatePicker, Row, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { get } from '../../lib/api';
import { useAuth } from '../identity/auth';
import { EngineerLeaderboard } from './EngineerLeaderboard';
import { FaultStatisticsCard } from './FaultStatisticsCard';
import { KpiCards } from './KpiCards';
import { ParetoCard } from './ParetoCard';
import { TrendCard } from './TrendCard';
import { useLiveAnalytics } from './useLiveAnalytics';

const INDUSTRIES = ['machine_tools', 'elevator', 'consumer_electronics', 'other'];

export default function AnalyticsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const live = useLiveAnalytics();
  const [period, setPeriod] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [industry, setIndustry] = useState<string | undefined>();

  const base: AnalyticsFilter = {
    from: period?.[0]?.startOf('day').toISOString(),
    to: period?.[1]?.endOf('day').toISOString(),
    industry,
  };
  const spikes = useQuery({
    queryKey: ['analytics', 'spikes'],
    queryFn: () =>
      get<{ dimension: ParetoDimension; label: string; count: number; baseline: number }[]>('/analytics/spikes'),
  });
  const stockAlerts = useQuery({
    queryKey: ['analytics', 'stock-alerts'],
    queryFn: () => get<unknown[]>('/parts/reorder-alerts'),
    enabled: can('stock', 'read'),
  });

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="analytics-page">
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('analytics.title')}
          </Typography.Title>
          <Badge status={live ? 'processing' : 'default'} text={t('analytics.live')} />
        </Space>
        <Space wrap>
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            value={period}
            onChange={(v) => setPeriod(v as [Dayjs | null, Dayjs | null] | null)}
            aria-label={t('analytics.period')}
          />
          <Select
            allowClear
            style={{ width: 180 }}
            placeholder={t('analytics.allIndustries')}
            value={industry}
            onChange={setIndustry}
            options={INDUSTRIES.map((i) => ({ value: i, label: labelOf(t, 'analytics.industries', i) }))}
          />
        </Space>
      </Space>

      {(spikes.data ?? []).map((s) => (
        <Alert
          key={`${s.dimension}:${s.label}`}
          type="warning"
          showIcon
          data-testid="spike-alert"
          message={t('analytics.spike', {
            dimension: t(`analytics.dimensions.${s.dimension}`),
            label: s.label,
            count: s.count,
            baseline: s.baseline.toFixed(1),
          })}
        />
      ))}
      {(stockAlerts.data?.length ?? 0) > 0 && (
        <Alert type="info" showIcon message={t('analytics.stockAlerts', { count: stockAlerts.data!.length })} />
      )}
      <KpiCards base={base} />
      <ParetoCard base={base} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <TrendCard base={base} />
        </Col>
        <Col xs={24} xl={12}>
          <EngineerLeaderboard base={base} />
        </Col>
      </Row>
      <FaultStatisticsCard industry={industry} />
    </Space>
  );
}
