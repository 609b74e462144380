import type { Kpis } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { labelOf } from '../../i18n/keys';
import { get, query } from '../../lib/api';

const percent = (r: { value: number | null }) => (r.value === null ? '—' : `${Math.round(r.value * 1000) / 10}%`);

/** The manager's live figures for today (since midnight, the browser's day), from the analytics KPIs. */
export function ManagerFigures() {
  const { t } = useTranslation();
  const from = new Date();
  from.setHours(0, 0, 0, 0);
  const kpis = useQuery({
    queryKey: ['analytics', 'kpis', 'home', from.toISOString()],
    queryFn: () => get<Kpis>(`/analytics/kpis${query({ from: from.toISOString() })}`),
    refetchInterval: 60_000,
  });
  const k = kpis.data;
  const figures = [
    { key: 'created', value: k?.created ?? '—' },
    { key: 'closed', value: k?.closed ?? '—' },
    { key: 'responseSla', value: k ? percent(k.responseSla) : '—' },
    { key: 'resolutionSla', value: k ? percent(k.resolutionSla) : '—' },
    { key: 'csat', value: k?.csat.mean?.toFixed(2) ?? '—' },
  ];
  return (
    <Card
      title={t('home.figuresToday')}
      size="small"
      loading={kpis.isLoading}
      data-testid="home-figures"
      extra={<Link to="/console/analytics">{t('nav.analytics')}</Link>}
    >
      <Row gutter={[16, 16]}>
        {figures.map((f) => (
          <Col key={f.key} xs={12} md={8} xl={4}>
            <Statistic title={labelOf(t, 'home.figures', f.key)} value={f.value} />
          </Col>
        ))}
      </Row>
    </Card>
  );
}
