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
  if (definition.dimensions.length === 2) return byTwoDimensions(definition, rows, base, names);
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

const distinct = (values: string[]) => [...new Set(values)];

/**
 * Bars or lines over two dimensions: the first along the axis, one series per value of the second,
 * named in the legend. "Model · Region" joined under each bar and turned 30° is unreadable past a
 * few bars, and it hides that the bars of one model belong together.
 */
function byTwoDimensions(
  definition: Pick<ReportDefinition, 'dimensions' | 'measures' | 'chart'>,
  rows: ReportResult['rows'],
  base: Record<string, unknown>,
  names: { measure: (measure: string) => string },
): Record<string, unknown> {
  const [outer, inner] = definition.dimensions as [string, string];
  const name = (r: Record<string, unknown>, d: string) => String(r[d] ?? '—');
  const categories = distinct(rows.map((r) => name(r, outer)));
  const groups = distinct(rows.map((r) => name(r, inner)));
  const cell = new Map(rows.map((r) => [`${name(r, outer)}\u0000${name(r, inner)}`, r]));
  return {
    ...base,
    legend: { top: 0, type: 'scroll' },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value' },
    series: definition.measures.flatMap((m) =>
      groups.map((g) => ({
        name: definition.measures.length > 1 ? `${names.measure(m)} · ${g}` : g,
        type: definition.chart === 'line' ? 'line' : 'bar',
        data: categories.map((c) => cell.get(`${c}\u0000${g}`)?.[m] ?? null),
      })),
    ),
  };
}
