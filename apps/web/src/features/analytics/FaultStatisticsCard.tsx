import { ArrowDownOutlined, ArrowUpOutlined, MinusOutlined } from '@ant-design/icons';
import type { FaultStatistics } from '@serviceloop/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, InputNumber, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, query } from '../../lib/api';
import { queryState } from '../../lib/QueryState';
import { changeDirection } from './charts';

const CHANGE = {
  up: [<ArrowUpOutlined key="up" />, 'red'],
  down: [<ArrowDownOutlined key="down" />, 'green'],
  flat: [<MinusOutlined key="flat" />, 'default'],
} as const;

/** Faults by category and sub-type for a year, with each share's change on the year before. */
export function FaultStatisticsCard({ industry }: { industry?: string }) {
  const { t, i18n } = useTranslation();
  const [year, setYear] = useState(new Date().getFullYear() - 1);
  const faults = useQuery({
    queryKey: ['analytics', 'faults', year, industry],
    queryFn: () => get<FaultStatistics>(`/analytics/fault-statistics${query({ year, industry })}`),
    placeholderData: keepPreviousData,
  });
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
  );
}
