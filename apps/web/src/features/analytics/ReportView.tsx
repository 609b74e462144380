import { type ReportDefinition, type ReportResult, reportChartOption, reportRowLabel } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Empty, Table } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { post } from '../../lib/api';
import { queryState } from '../../lib/QueryState';
import { EChart } from './EChart';

const RATIOS = new Set(['firstContactResolution', 'firstTimeFix', 'resolutionSla', 'repeatRepair']);

export function formatMeasure(measure: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  const n = Number(value);
  if (RATIOS.has(measure)) return `${(n * 100).toFixed(1)}%`;
  return Number.isInteger(n) ? n.toLocaleString() : n.toFixed(2);
}

/** Runs a report definition (live with the dashboard feed) and draws it as its chart type says. */
export function ReportView({ definition, height = 300 }: { definition: ReportDefinition; height?: number }) {
  const { t } = useTranslation();
  const result = useQuery({
    queryKey: ['analytics', 'report', definition],
    queryFn: () => post<ReportResult>('/analytics/query', { definition }),
  });
  const label = (row: Record<string, unknown>) => reportRowLabel(definition.dimensions, row);

  const option = useMemo(
    () =>
      result.data &&
      reportChartOption(definition, result.data, {
        measure: (m) => labelOf(t, 'analytics.reportMeasures', m),
        cumulative: t('analytics.cumulative'),
      }),
    [result.data, definition, t],
  );

  const state = queryState(result);
  if (state) return state;
  if (!result.data?.rows.length) return <Empty />;
  if (definition.chart === 'table') {
    return (
      <Table
        size="small"
        rowKey={(r) => label(r)}
        dataSource={result.data.rows}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        columns={result.data.columns.map((c) => ({
          title: labelOf(
            t,
            definition.dimensions.includes(c as never) ? 'analytics.dimensions' : 'analytics.reportMeasures',
            c,
          ),
          dataIndex: c,
          align: definition.dimensions.includes(c as never) ? ('left' as const) : ('right' as const),
          render: (v: unknown) => (definition.dimensions.includes(c as never) ? String(v ?? '—') : formatMeasure(c, v)),
        }))}
      />
    );
  }
  return option ? <EChart option={option} height={height} /> : null;
}
