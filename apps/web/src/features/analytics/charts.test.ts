import type { Kpis, Pareto, Trend } from '@serviceloop/contracts';
import { describe, expect, it } from 'vitest';
import {
  changeDirection,
  costSplit,
  drilledFilter,
  drillPath,
  duration,
  paretoChartOption,
  percent,
  ticketListParams,
  trendChartOption,
} from './charts';

const bar = (label: string, count: number, cumulative: number, vital: boolean): Pareto['bars'][number] => ({
  key: label.toLowerCase(),
  label,
  count,
  share: 0,
  cumulative,
  vital,
});

describe('analytics chart shaping', () => {
  it('walks the drill from the chosen dimension without repeating it', () => {
    expect(drillPath('productModel')).toEqual(['productModel', 'region', 'batch']);
    expect(drillPath('region')).toEqual(['region', 'productModel', 'batch']);
    expect(drillPath('customer')).toEqual(['customer', 'productModel', 'region', 'batch']);
  });

  it('narrows the filter by each drilled bar and hands the same to the ticket list', () => {
    const base = { from: '2026-01-01T00:00:00.000Z', to: '2026-03-31T23:59:59.999Z', industry: 'elevator' };
    const steps = [
      { dimension: 'productModel' as const, key: 'm-1', label: 'GX-200' },
      { dimension: 'region' as const, key: '310000', label: '上海' },
      { dimension: 'rootCategory' as const, key: 'c-9', label: '电气' },
    ];
    const drilled = drilledFilter(base, steps);
    expect(drilled).toEqual({ ...base, productModelId: 'm-1', regionCode: '310000', categoryId: 'c-9' });
    expect(base).not.toHaveProperty('productModelId');
    expect(ticketListParams(drilled, steps)).toEqual({
      createdFrom: base.from,
      createdTo: base.to,
      productModelId: 'm-1',
      regionCode: '310000',
      categoryId: 'c-9',
    });
  });

  it('stacks vital and other bars as two series and draws the cumulative share with the 80 % line', () => {
    const names = { vital: 'V', others: 'O', cumulative: 'C', count: 'N' };
    const option = paretoChartOption(
      [bar('A', 60, 60, true), bar('B', 25, 85.04, true), bar('C', 15, 100, false)],
      names,
    );
    expect(option.xAxis.data).toEqual(['A', 'B', 'C']);
    const [vital, others, cumulative] = option.series;
    expect(vital).toMatchObject({ name: 'V', stack: 'count', data: [60, 25, null] });
    expect(others).toMatchObject({ name: 'O', stack: 'count', data: [null, null, 15] });
    expect(cumulative).toMatchObject({ name: 'C', yAxisIndex: 1, data: [60, 85, 100] });
    expect(option.legend.data).toEqual(['V', 'O', 'C']);
  });

  it('lines the earlier period up month by month and leaves a gap where it has no month', () => {
    const point = (bucket: string, value: number | null) => ({ bucket, value, count: 1 });
    const trend: Trend = {
      measure: 'created',
      interval: 'month',
      points: [
        point('2026-01-01T00:00:00Z', 10),
        point('2026-02-01T00:00:00Z', null),
        point('2026-03-01T00:00:00Z', 7),
      ],
      previous: [point('2025-10-01T00:00:00Z', 4), point('2025-11-01T00:00:00Z', 5)],
      total: { value: 17, previousValue: 9 },
    };
    const option = trendChartOption(trend, { current: 'now', previous: 'before' });
    expect(option.xAxis.data).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(option.series[0]!.data).toEqual([10, null, 7]);
    expect(option.series[1]!.data).toEqual([4, 5, null]);
    expect(trendChartOption(undefined, { current: 'now', previous: 'before' }).series[0]!.data).toEqual([]);
  });

  it('reads ratios, durations, costs and changes as a reader does', () => {
    expect(percent({ value: 0.8125, numerator: 13, denominator: 16 })).toBe('81.3%');
    expect(percent({ value: null, numerator: 0, denominator: 0 })).toBe('—');
    expect(duration(null)).toBeNull();
    expect(duration(119.6)).toEqual({ unit: 'minutes', value: '120' });
    expect(duration(150)).toEqual({ unit: 'hours', value: '2.5' });
    const cost: Kpis['costPerTicket'] = {
      mean: 0,
      labourMinutes: 90,
      travelMinutes: 30,
      partsFen: 50_000,
      ratePerHour: 120,
    };
    expect(costSplit(cost, 0)).toBeUndefined();
    expect(costSplit(cost, 2)).toEqual({ labour: '120', parts: '250' });
    expect([changeDirection(0.3), changeDirection(-0.3), changeDirection(0.05), changeDirection(-0.05)]).toEqual([
      'up',
      'down',
      'flat',
      'flat',
    ]);
  });
});
