import { ArrowDownOutlined, ArrowUpOutlined, MinusOutlined } from '@ant-design/icons';
import type {
  AnalyticsFilter,
  Backlog,
  EngineerStats,
  FaultStatistics,
  Kpis,
  Pareto,
  ParetoDimension,
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
import { labelOf } from '../../i18n/keys';
import { get, query } from '../../lib/api';
import { queryState } from '../../lib/QueryState';
import { useAuth } from '../identity/auth';
import {
  changeDirection,
  costSplit,
  DIMENSIONS,
  type DrillStep,
  drilledFilter,
  drillPath,
  duration,
  paretoChartOption,
  percent,
  ticketListParams,
  trendChartOption,
} from './charts';
import { EChart } from './EChart';
import { npsFigure } from './nps';
import { useLiveAnalytics } from './useLiveAnalytics';

const INDUSTRIES = ['machine_tools', 'elevator', 'consumer_electronics', 'other'];

/** A drill-down level to go back to: a button, so keyboards reach it too. */
const Crumb = (props: { onClick: () => void; children: React.ReactNode }) => (
  <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={props.onClick}>
    {props.children}
  </Button>
);

export default function AnalyticsPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const live = useLiveAnalytics();
  const [period, setPeriod] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [industry, setIndustry] = useState<string | undefined>();
  const [start, setStart] = useState<ParetoDimension>('productModel');
  const [steps, setSteps] = useState<DrillStep[]>([]);
  const [year, setYear] = useState(new Date().getFullYear() - 1);
  const [measure, setMeasure] = useState<TrendMeasure>('created');

  const base: AnalyticsFilter = {
    from: period?.[0]?.startOf('day').toISOString(),
    to: period?.[1]?.endOf('day').toISOString(),
    industry,
  };
  const drilled = drilledFilter(base, steps);
  const dimension = drillPath(start)[steps.length];

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
  const trendChart = useMemo(
    () => trendChartOption(trend.data, { current: t('analytics.thisPeriod'), previous: t('analytics.previousPeriod') }),
    [trend.data, t],
  );
  const chart = useMemo(
    () =>
      paretoChartOption(pareto.data?.bars ?? [], {
        vital: t('analytics.vital'),
        others: t('analytics.others'),
        cumulative: t('analytics.cumulative'),
        count: t('analytics.count'),
      }),
    [pareto.data, t],
  );

  const drill = (index: number) => {
    const bar = pareto.data?.bars[index];
    if (!bar?.key || !dimension) return;
    setSteps([...steps, { dimension, key: bar.key, label: bar.label }]);
  };
  const showTickets = () => navigate(`/console/tickets${query(ticketListParams(drilled, steps))}`);

  const k = kpis.data;
  const nps = k && npsFigure(t, k.nps.score, k.nps.answers);
  const minutes = (m: number | null | undefined) => {
    const d = duration(m);
    return d ? t(`analytics.${d.unit}`, { value: d.value }) : '—';
  };
  const split = (c: Kpis['costPerTicket'], closed: number) => {
    const yuan = costSplit(c, closed);
    return (
      yuan &&
      t('analytics.costSplit', {
        labour: t('analytics.yuan', { value: yuan.labour }),
        parts: t('analytics.yuan', { value: yuan.parts }),
      })
    );
  };
  const CHANGE = {
    up: [<ArrowUpOutlined key="up" />, 'red'],
    down: [<ArrowDownOutlined key="down" />, 'green'],
    flat: [<MinusOutlined key="flat" />, 'default'],
  } as const;
  const change = (points: number | null) => {
    if (points === null) return '—';
    const [icon, color] = CHANGE[changeDirection(points)];
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
                split(k!.costPerTicket, k!.closed),
              ],
              [
                'backlog',
                backlog.data ? `${backlog.data.open} · ${t('analytics.overdue')} ${backlog.data.overdue}` : '—',
              ],
            ] as const
          ).map(([key, value, note]: readonly [string, string, string?]) => (
            <Col key={key} xs={12} md={8} xl={4}>
              <Card size="small">
                <Statistic title={labelOf(t, 'analytics', key)} value={value} data-testid={`kpi-${key}`} />
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
            <EChart option={trendChart} height={280} />
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
