import type { AnalyticsFilter, Backlog, Kpis } from '@serviceloop/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { get, query } from '../../lib/api';
import { queryState } from '../../lib/QueryState';
import { costSplit, duration, percent } from './charts';
import { npsFigure } from './nps';

/** The headline figures for the period: each a card, with a note where the figure needs one (NPS sample, cost split). */
export function KpiCards({ base }: { base: AnalyticsFilter }) {
  const { t } = useTranslation();
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
  const k = kpis.data;
  const nps = k && npsFigure(t, k.nps.score, k.nps.answers);
  const minutes = useMinutes();
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
  return (
    queryState(kpis) ?? (
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
    )
  );
}

/** Minutes as the reader reads them: hours from two hours on. */
export function useMinutes() {
  const { t } = useTranslation();
  return (m: number | null | undefined) => {
    const d = duration(m);
    return d ? t(`analytics.${d.unit}`, { value: d.value }) : '—';
  };
}
