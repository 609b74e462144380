import type { AnalyticsFilter, Pareto, ParetoDimension } from '@serviceloop/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Breadcrumb, Button, Card, Grid, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { get, query } from '../../lib/api';
import { DIMENSIONS, type DrillStep, drilledFilter, drillPath, paretoChartOption, ticketListParams } from './charts';
import { EChart } from './EChart';

/** A drill-down level to go back to: a button, so keyboards reach it too. */
const Crumb = (props: { onClick: () => void; children: React.ReactNode }) => (
  <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={props.onClick}>
    {props.children}
  </Button>
);

/**
 * The Pareto of tickets by a dimension; a bar drills into the next dimension of the root-cause path,
 * and the tickets behind the drill open in the ticket list.
 */
export function ParetoCard({ base }: { base: AnalyticsFilter }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  // A phone's card is ~300px wide: the Pareto's labels stand upright there and give up their tails.
  const narrow = !Grid.useBreakpoint().md;
  const [start, setStart] = useState<ParetoDimension>('productModel');
  const [steps, setSteps] = useState<DrillStep[]>([]);
  const drilled = drilledFilter(base, steps);
  const dimension = drillPath(start)[steps.length];
  const pareto = useQuery({
    queryKey: ['analytics', 'pareto', dimension, drilled],
    queryFn: () => get<Pareto>(`/analytics/pareto${query({ ...drilled, dimension })}`),
    enabled: !!dimension,
    placeholderData: keepPreviousData,
  });
  const chart = useMemo(
    () =>
      paretoChartOption(
        pareto.data?.bars ?? [],
        {
          vital: t('analytics.vital'),
          others: t('analytics.others'),
          cumulative: t('analytics.cumulative'),
          count: t('analytics.count'),
        },
        narrow,
      ),
    [pareto.data, t, narrow],
  );
  const drill = (index: number) => {
    // A bar of the level before, still drawn while this one loads, is not this level's to drill into.
    const bar = pareto.isPlaceholderData ? undefined : pareto.data?.bars[index];
    if (!bar?.key || !dimension) return;
    setSteps([...steps, { dimension, key: bar.key, label: bar.label }]);
  };
  const showTickets = () => navigate(`/console/tickets${query(ticketListParams(drilled, steps))}`);
  return (
    <Card
      title={t('analytics.pareto')}
      extra={
        <Select
          style={{ width: 160 }}
          value={start}
          aria-label={t('analytics.dimension')}
          onChange={(d) => {
            setStart(d);
            setSteps([]);
          }}
          options={DIMENSIONS.map((d) => ({ value: d, label: t(`analytics.dimensions.${d}`) }))}
        />
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Breadcrumb
          items={[
            { title: <Crumb onClick={() => setSteps([])}>{t('analytics.allTickets')}</Crumb> },
            ...steps.map((s, i) => ({
              title: (
                <Crumb onClick={() => setSteps(steps.slice(0, i + 1))}>
                  {t(`analytics.dimensions.${s.dimension}`)}: {s.label}
                </Crumb>
              ),
            })),
          ]}
        />
        {dimension ? (
          <>
            <Typography.Text type="secondary">{t('analytics.drillHint')}</Typography.Text>
            <div data-testid="pareto-chart">
              <EChart option={chart} onClick={drill} />
            </div>
            <Table
              size="small"
              rowKey={(b) => b.key ?? '—'}
              dataSource={pareto.data?.bars ?? []}
              // The last level's bars stay in sight while the next load, but are not clickable.
              loading={pareto.isPlaceholderData}
              pagination={false}
              onRow={(_, index) => ({ onClick: () => drill(index ?? 0), style: { cursor: 'pointer' } })}
              columns={[
                { title: t(`analytics.dimensions.${dimension}`), dataIndex: 'label' },
                { title: t('analytics.count'), dataIndex: 'count', align: 'right' },
                {
                  title: t('analytics.share'),
                  dataIndex: 'share',
                  align: 'right',
                  render: (v: number) => `${v.toFixed(1)}%`,
                },
                {
                  title: t('analytics.cumulative'),
                  dataIndex: 'cumulative',
                  align: 'right',
                  render: (v: number) => `${v.toFixed(1)}%`,
                },
                {
                  title: t('analytics.vital'),
                  dataIndex: 'vital',
                  render: (v: boolean) => (v ? <Tag color="red">{t('analytics.vital')}</Tag> : null),
                },
              ]}
            />
          </>
        ) : null}
        {steps.length > 0 && (
          <Button type="primary" onClick={showTickets} data-testid="drill-tickets">
            {t('analytics.openTickets')}
          </Button>
        )}
      </Space>
    </Card>
  );
}
