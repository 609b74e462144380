import type { ReportDefinition, ReportResult } from './analytics';

/** A result row's name: its dimension values joined. */
export const reportRowLabel = (dimensions: readonly string[], row: Record<string, unknown>) =>
  dimensions.map((d) => row[d] ?? '—').join(' · ');

/**
 * The ECharts option that draws a report as its chart type says — one source for the browser's
 * live chart and the server's PDF rendering, so the two never disagree. `null` for a table.
 */
export function reportChartOption(
  definition: Pick<ReportDefinition, 'dimensions' | 'measures' | 'chart'>,
  result: ReportResult,
  names: { measure: (measure: string) => string; cumulative: string },
): Record<string, unknown> | null {
  const rows = result.rows;
  const measure = definition.measures[0]!;
  const label = (r: Record<string, unknown>) => reportRowLabel(definition.dimensions, r);
  if (definition.chart === 'table') return null;
  if (definition.chart === 'pie') {
    return {
      tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: '65%', data: rows.map((r) => ({ name: label(r), value: r[measure] })) }],
    };
  }
  const base = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 56, right: 48, bottom: 72, top: 40 },
    xAxis: { type: 'category', data: rows.map(label), axisLabel: { rotate: 30, interval: 0 } },
  };
  if (definition.chart === 'pareto') {
    const total = rows.reduce((sum, r) => sum + Number(r[measure] ?? 0), 0);
    let running = 0;
    return {
      ...base,
      yAxis: [{ type: 'value' }, { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } }],
      series: [
        { name: names.measure(measure), type: 'bar', data: rows.map((r) => r[measure]) },
        {
          name: names.cumulative,
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
      name: names.measure(m),
      type: definition.chart === 'line' ? 'line' : 'bar',
      data: rows.map((r) => r[m]),
    })),
  };
}
