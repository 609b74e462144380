import type { AnalyticsFilter, Kpis, Pareto, ParetoDimension, Ratio, Trend } from '@serviceloop/contracts';

/**
 * The analytics page's figures and charts as plain data: what the server counted, shaped into the
 * ECharts options and filters the page hands on. No React here, so each shape has a unit test.
 */

/** The filter each Pareto dimension drills into, on analytics and on the ticket list alike. */
export const FILTER_OF: Partial<Record<ParetoDimension, keyof AnalyticsFilter>> = {
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
export const DIMENSIONS = Object.keys(FILTER_OF) as ParetoDimension[];

/** One bar drilled into: the dimension it belonged to and the bar's key. */
export interface DrillStep {
  dimension: ParetoDimension;
  key: string;
  label: string;
}

/** The dimensions the drill walks, starting where the reader chose; the chosen one is not repeated. */
export const drillPath = (start: ParetoDimension): ParetoDimension[] => [start, ...DRILL.filter((d) => d !== start)];

/** The page's filter narrowed by every bar drilled into so far. */
export function drilledFilter(base: AnalyticsFilter, steps: DrillStep[]): AnalyticsFilter {
  const drilled: AnalyticsFilter = { ...base };
  for (const s of steps) Object.assign(drilled, { [FILTER_OF[s.dimension]!]: s.key });
  return drilled;
}

/** The ticket list's query for the tickets behind a drill: the period as creation dates, then each step. */
export function ticketListParams(drilled: AnalyticsFilter, steps: DrillStep[]): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = { createdFrom: drilled.from, createdTo: drilled.to };
  for (const s of steps) params[FILTER_OF[s.dimension]!] = s.key;
  return params;
}

export const percent = (r: Ratio) => (r.value === null ? '—' : `${(r.value * 100).toFixed(1)}%`);

/** Minutes read as hours from two hours on; null when there is nothing to show. */
export function duration(m: number | null | undefined): { unit: 'hours' | 'minutes'; value: string } | null {
  if (m === null || m === undefined) return null;
  return m >= 120 ? { unit: 'hours', value: (m / 60).toFixed(1) } : { unit: 'minutes', value: String(Math.round(m)) };
}

/** The cost per closed ticket split into engineer time (labour and travel at the rate) and parts, in yuan. */
export function costSplit(c: Kpis['costPerTicket'], closed: number): { labour: string; parts: string } | undefined {
  if (closed === 0) return undefined;
  const perTicket = (yuan: number) => (yuan / closed).toFixed(0);
  return {
    labour: perTicket(((c.labourMinutes + c.travelMinutes) / 60) * c.ratePerHour),
    parts: perTicket(c.partsFen / 100),
  };
}

/** A change in share, in percentage points: more faults is bad (up, red); a twentieth of a point is noise. */
export function changeDirection(points: number): 'up' | 'down' | 'flat' {
  return points > 0.05 ? 'up' : points < -0.05 ? 'down' : 'flat';
}

/** This period against the one before, month by month; the earlier line dashed and cut where it ends. */
export function trendChartOption(trend: Trend | undefined, names: { current: string; previous: string }) {
  const points = trend?.points ?? [];
  const previous = trend?.previous ?? [];
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [names.current, names.previous] },
    grid: { left: 56, right: 24, bottom: 32, top: 40 },
    // The months sit a little lower than ECharts' default so the first never touches the y axis's 0.
    xAxis: { type: 'category', data: points.map((p) => p.bucket.slice(0, 7)), axisLabel: { margin: 12 } },
    yAxis: { type: 'value' },
    series: [
      { name: names.current, type: 'line', data: points.map((p) => p.value) },
      {
        name: names.previous,
        type: 'line',
        lineStyle: { type: 'dashed' },
        data: points.map((_, i) => previous[i]?.value ?? null),
      },
    ],
  };
}

/**
 * Bars by count with the cumulative share as a line on a 0–100 % axis, and the 80 % mark. `narrow`
 * is a phone's card (~300px): the labels stand upright there and give up their tails.
 */
export function paretoChartOption(
  bars: Pareto['bars'],
  names: { vital: string; others: string; cumulative: string; count: string },
  narrow = false,
) {
  return {
    tooltip: { trigger: 'axis' },
    // The vital few and the rest are two series (stacked into one bar each), so the legend shows both colours.
    // On top, clear of the slanted labels underneath (ECharts 6 puts a legend at the bottom).
    legend: { top: 0, data: [names.vital, names.others, names.cumulative] },
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
      { type: 'value', name: names.count },
      { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      ...(
        [
          [names.vital, true, '#cf1322'],
          [names.others, false, '#8c8c8c'],
        ] as const
      ).map(([name, vital, color]) => ({
        name,
        type: 'bar',
        stack: 'count',
        itemStyle: { color },
        data: bars.map((b) => (b.vital === vital ? b.count : null)),
      })),
      {
        name: names.cumulative,
        type: 'line',
        yAxisIndex: 1,
        data: bars.map((b) => Number(b.cumulative.toFixed(1))),
        markLine: { silent: true, symbol: 'none', data: [{ yAxis: 80 }] },
      },
    ],
  };
}
