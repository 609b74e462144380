import { ArrowDownOutlined, ArrowUpOutlined, MinusOutlined } from '@ant-design/icons';
import type {
  AnalyticsFilter,
  Backlog,
  EngineerStats,
  FaultStatistics,
  Kpis,
  Pareto,
  ParetoDimension,
  Ratio,
  Trend,
  TrendMeasure,
} from '@serviceloop/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Badge,
  Breadcrumb,
  Button,
  Card,
  Col,
  DatePicker,
  Grid,
  InputNumber,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import { get, query } from '../../lib/api';
import { queryState } from '../../lib/QueryState';
import { EChart } from './EChart';
import { npsFigure } from './nps';
import { useLiveAnalytics } from './useLiveAnalytics';

/** The filter each Pareto dimension drills into, on analytics and on the ticket list alike. */
const FILTER_OF: Partial<Record<ParetoDimension, keyof AnalyticsFilter>> = {
  productModel: 'productModelId',
  region: 'regionCode',
  batch: 'batch',
  category: 'categoryId',
  rootCategory: 'categoryId',
  customer: 'customerId',
  industry: 'industry',
  channel: 'channel',
  engineer: 'engineerId',
};
/** The root-cause path of seed 003: model → region → batch, then the tickets themselves. */
const DRILL: ParetoDimension[] = ['productModel', 'region', 'batch'];
const DIMENSIONS = Object.keys(FILTER_OF) as ParetoDimension[];
const INDUSTRIES = ['machine_tools', 'elevator', 'consumer_electronics', 'other'];

interface Step {
  dimension: ParetoDimension;
  key: string;
  label: string;
}

/** A drill-down level to go back to: a button, so keyboards reach it too. */
const Crumb = (props: { onClick: () => void; children: React.ReactNode }) => (
  <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={props.onClick}>
    {props.children}
  </Button>
);

const percent = (r: Ratio) => (r.value === null ? '—' : `${(r.value * 100).toFixed(1)}%`);

export default function AnalyticsPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const live = useLiveAnalytics();
  // A phone's card is ~300px wide: the Pareto's labels stand upright there and give up their tails.
  const narrow = !Grid.useBreakpoint().md;
  const [period, setPeriod] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [industry, setIndustry] = useState<string | undefined>();
  const [start, setStart] = useState<ParetoDimension>('productModel');
  const [steps, setSteps] = useState<Step[]>([]);
  const [year, setYear] = useState(new Date().getFullYear() - 1);
  const [measure, setMeasure] = useState<TrendMeasure>('created');

  const base: AnalyticsFilter = {
    from: period?.[0]?.startOf('day').toISOString(),
    to: period?.[1]?.endOf('day').toISOString(),
    industry,
  };
  const drilled: AnalyticsFilter = { ...base };
  for (const s of steps) Object.assign(drilled, { [FILTER_OF[s.dimension]!]: s.key });
  const path = [start, ...DRILL.filter((d) => d !== start)];
  const dimension = path[steps.length];

  const kpis = useQuery({
    queryKey: ['analytics', 'kpis', base],
    queryFn: () => get<Kpis>(`/analytics/kpis${query(base)}`),
    placeholderData: keepPreviousData,
  });
  const backlog = useQuery({
    queryKey: ['analytics', 'backlog', base],
    queryFn: () => get<Backlog>(`/analytics/backlog${query(base)}`),
    placeholderData: keepPreviousData,
  });
  const pareto = useQuery({
    queryKey: ['analytics', 'pareto', dimension, drilled],
    queryFn: () => get<Pareto>(`/analytics/pareto${query({ ...drilled, dimension })}`),
    enabled: !!dimension,
    placeholderData: keepPreviousData,
  });
  const faults = useQuery({
    queryKey: ['analytics', 'faults', year, industry],
    queryFn: () => get<FaultStatistics>(`/analytics/fault-statistics${query({ year, industry })}`),
    placeholderData: keepPreviousData,
  });

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
  const trend = useQuery({
    queryKey: ['analytics', 'trend', measure, base],
    queryFn: () => get<Trend>(`/analytics/trend${query({ ...base, measure, interval: 'month' })}`),
    placeholderData: keepPreviousData,
  });
  const engineers = useQuery({
    queryKey: ['analytics', 'engineers', base],
    queryFn: () => get<EngineerStats[]>(`/analytics/engineers${query(base)}`),
    placeholderData: keepPreviousData,
  });
  const trendChart = useMemo(() => {
    const points = trend.data?.points ?? [];
    const previous = trend.data?.previous ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('analytics.thisPeriod'), t('analytics.previousPeriod')] },
      grid: { left: 56, right: 24, bottom: 32, top: 40 },
      // The months sit a little lower than ECharts' default so the first never touches the y axis's 0.
      xAxis: { type: 'category', data: points.map((p) => p.bucket.slice(0, 7)), axisLabel: { margin: 12 } },
      yAxis: { type: 'value' },
      series: [
        { name: t('analytics.thisPeriod'), type: 'line', data: points.map((p) => p.value) },
        {
          name: t('analytics.previousPeriod'),
          type: 'line',
          lineStyle: { type: 'dashed' },
          data: points.map((_, i) => previous[i]?.value ?? null),
        },
      ],
    };
  }, [trend.data, t]);

  const chart = useMemo(() => {
    const bars = pareto.data?.bars ?? [];
    return {
      tooltip: { trigger: 'axis' },
      // The vital few and the rest are two series (stacked into one bar each), so the legend shows both colours.
      // On top, clear of the slanted labels underneath (ECharts 6 puts a legend at the bottom).
      legend: { top: 0, data: [t('analytics.vital'), t('analytics.others'), t('analytics.cumulative')] },
      grid: { left: 48, right: 48, bottom: narrow ? 88 : 72, top: 56 },
      xAxis: {
        type: 'category',
        data: bars.map((b) => b.label),
        // Every bar keeps a label (interval 0); the full name is in the table below the chart.
        axisLabel: narrow
          ? { rotate: 90, interval: 0, width: 76, overflow: 'truncate' }
          : { rotate: 30, interval: 0, width: 150, overflow: 'truncate' },
      },
      yAxis: [
        { type: 'value', name: t('analytics.count') },
        { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        ...(
          [
            [t('analytics.vital'), true, '#cf1322'],
            [t('analytics.others'), false, '#8c8c8c'],
          ] as const
        ).map(([name, vital, color]) => ({
          name,
          type: 'bar',
          stack: 'count',
          itemStyle: { color },
          data: bars.map((b) => (b.vital === vital ? b.count : null)),
        })),
        {
          name: t('analytics.cumulative'),
          type: 'line',
          yAxisIndex: 1,
          data: bars.map((b) => Number(b.cumulative.toFixed(1))),
          markLine: { silent: true, symbol: 'none', data: [{ yAxis: 80 }] },
        },
      ],
    };
  }, [pareto.data, t, narrow]);

  const drill = (index: number) => {
    // A bar of the level before, still drawn while this one loads, is not this level's to drill into.
    const bar = pareto.isPlaceholderData ? undefined : pareto.data?.bars[index];
    if (!bar?.key || !dimension) return;
    setSteps([...steps, { dimension, key: bar.key, label: bar.label }]);
  };
  const showTickets = () => {
    const params: Record<string, string | undefined> = {
      createdFrom: drilled.from,
      createdTo: drilled.to,
    };
    for (const s of steps) params[FILTER_OF[s.dimension]!] = s.key;
    navigate(`/console/tickets${query(params)}`);
  };

  const k = kpis.data;
  const nps = k && npsFigure(t, k.nps.score, k.nps.answers);
  const minutes = (m: number | null | undefined) =>
    m === null || m === undefined
      ? '—'
      : m >= 120
        ? t('analytics.hours', { value: (m / 60).toFixed(1) })
        : t('analytics.minutes', { value: Math.round(m) });
  /** The cost per ticket split into engineer time (labour and travel at the rate) and parts. */
  const costSplit = (c: Kpis['costPerTicket'], closed: number) => {
    if (closed === 0) return undefined;
    const yuan = (value: number) => t('analytics.yuan', { value: (value / closed).toFixed(0) });
    return t('analytics.costSplit', {
      labour: yuan(((c.labourMinutes + c.travelMinutes) / 60) * c.ratePerHour),
      parts: yuan(c.partsFen / 100),
    });
  };

  const change = (points: number | null) => {
    if (points === null) return '—';
    const icon = points > 0.05 ? <ArrowUpOutlined /> : points < -0.05 ? <ArrowDownOutlined /> : <MinusOutlined />;
    const color = points > 0.05 ? 'red' : points < -0.05 ? 'green' : 'default';
    return (
      <Tag color={color} icon={icon}>
        {t('analytics.points', { value: `${points > 0 ? '+' : ''}${points.toFixed(1)}` })}
      </Tag>
    );
  };

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
            options={INDUSTRIES.map((i) => ({ value: i, label: t(`analytics.industries.${i}`) }))}
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
      {queryState(kpis) ?? (
        <Row gutter={[16, 16]} data-testid="kpi-cards">
          {(
            [
              ['closed', k!.closed.toLocaleString()],
              ['fcr', percent(k!.firstContactResolution)],
              ['ftf', percent(k!.firstTimeFix)],
              ['mttrMedian', minutes(k!.timeToResolve.median)],
              ['businessMttrMedian', minutes(k!.businessTimeToResolve.median)],
              ['respondMedian', minutes(k!.timeToRespond.median)],
              ['responseSla', percent(k!.responseSla)],
              ['resolutionSla', percent(k!.resolutionSla)],
              ['csat', k!.csat.mean === null ? '—' : k!.csat.mean.toFixed(2)],
              ['satisfied', percent(k!.csat.satisfied)],
              ['nps', nps!.value, nps!.note],
              ['repeat', percent(k!.repeatRepair)],
              [
                'cost',
                k!.costPerTicket.mean === null ? '—' : t('analytics.yuan', { value: k!.costPerTicket.mean.toFixed(0) }),
                costSplit(k!.costPerTicket, k!.closed),
              ],
              [
                'backlog',
                backlog.data ? `${backlog.data.open} · ${t('analytics.overdue')} ${backlog.data.overdue}` : '—',
              ],
            ] as const
          ).map(([key, value, note]: readonly [string, string, string?]) => (
            <Col key={key} xs={12} md={8} xl={4}>
              <Card size="small">
                <Statistic title={t(`analytics.${key}`)} value={value} data-testid={`kpi-${key}`} />
                {note && (
                  <Typography.Text type="secondary" data-testid={`kpi-${key}-note`}>
                    {note}
                  </Typography.Text>
                )}
              </Card>
            </Col>
          ))}
        </Row>
      )}

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

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
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
        </Col>
        <Col xs={24} xl={12}>
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
        </Col>
      </Row>

      <Card
        title={t('analytics.faultStats')}
        extra={
          <InputNumber
            aria-label={t('analytics.year')}
            min={2000}
            max={2100}
            value={year}
            onChange={(v) => v && setYear(v)}
          />
        }
      >
        {queryState(faults) ?? (
          <Table
            size="small"
            data-testid="fault-statistics"
            rowKey="categoryId"
            pagination={false}
            dataSource={faults.data!.categories.map((c) => ({
              ...c,
              children: c.subTypes.length ? c.subTypes : undefined,
            }))}
            columns={[
              {
                title: t('analytics.faultCategory'),
                render: (_: unknown, c: { nameZh: string; nameEn: string }) =>
                  i18n.language === 'en-US' ? c.nameEn : c.nameZh,
              },
              { title: t('analytics.count'), dataIndex: 'count', align: 'right' },
              {
                title: t('analytics.share'),
                dataIndex: 'share',
                align: 'right',
                render: (v: number) => `${v.toFixed(1)}%`,
              },
              { title: t('analytics.change'), dataIndex: 'changePoints', render: change },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}
