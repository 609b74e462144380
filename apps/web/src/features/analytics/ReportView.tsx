import type { ReportDefinition, ReportResult } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Empty, Table } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
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

/** A result row's name: its dimension values joined. */
const rowLabel = (dimensions: readonly string[], row: Record<string, unknown>) =>
  dimensions.map((d) => row[d] ?? '—').join(' · ');

/** Runs a report definition (live with the dashboard feed) and draws it as its chart type says. */
export function ReportView({ definition, height = 300 }: { definition: ReportDefinition; height?: number }) {
  const { t } = useTranslation();
  const result = useQuery({
    queryKey: ['analytics', 'report', definition],
    queryFn: () => post<ReportResult>('/analytics/query', { definition }),
  });
  const label = (row: Record<string, unknown>) => rowLabel(definition.dimensions, row);

  const option = useMemo(() => {
    const rows = result.data?.rows ?? [];
    const measure = definition.measures[0]!;
    const name = (m: string) => t(`analytics.reportMeasures.${m}`);
    if (definition.chart === 'pie') {
      return {
        tooltip: { trigger: 'item' },
        series: [
          {
            type: 'pie',
            radius: '65%',
            data: rows.map((r) => ({ name: rowLabel(definition.dimensions, r), value: r[measure] })),
          },
        ],
      };
    }
    const categories = rows.map((r) => rowLabel(definition.dimensions, r));
    const base = {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 56, right: 48, bottom: 72, top: 40 },
      xAxis: { type: 'category', data: categories, axisLabel: { rotate: 30, interval: 0 } },
    };
    if (definition.chart === 'pareto') {
      const total = rows.reduce((sum, r) => sum + Number(r[measure] ?? 0), 0);
      let running = 0;
      return {
        ...base,
        yAxis: [{ type: 'value' }, { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } }],
        series: [
          { name: name(measure), type: 'bar', data: rows.map((r) => r[measure]) },
          {
            name: t('analytics.cumulative'),
            type: 'line',
            yAxisIndex: 1,
            data: rows.map((r) => {
              running += Number(r[measure] ?? 0);
              return total ? Number(((running * 100) / total).toFixed(1)) : 0;
            }),
          },
        ],
      };
    }
    return {
      ...base,
      yAxis: { type: 'value' },
      series: definition.measures.map((m) => ({
        name: name(m),
        type: definition.chart === 'line' ? 'line' : 'bar',
        data: rows.map((r) => r[m]),
      })),
    };
  }, [result.data, definition, t]);

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
          title: t(`analytics.${definition.dimensions.includes(c as never) ? 'dimensions' : 'reportMeasures'}.${c}`),
          dataIndex: c,
          align: definition.dimensions.includes(c as never) ? ('left' as const) : ('right' as const),
          render: (v: unknown) => (definition.dimensions.includes(c as never) ? String(v ?? '—') : formatMeasure(c, v)),
        }))}
      />
    );
  }
  return <EChart option={option} height={height} />;
}

/** The rows of a report result as CSV text (with a BOM, so Excel reads Chinese). */
export function reportCsv(result: ReportResult): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\uFEFF${[result.columns.join(','), ...result.rows.map((r) => result.columns.map((c) => cell(r[c])).join(','))].join('\n')}\n`;
}
