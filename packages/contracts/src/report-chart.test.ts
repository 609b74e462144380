import { describe, expect, it } from 'vitest';
import { reportChartOption } from './report-chart';

const names = { measure: (m: string) => `M:${m}`, cumulative: 'cum' };
const rows = [
  { productModel: 'VMC-850', region: '华东', tickets: 5 },
  { productModel: 'VMC-850', region: '华南', tickets: 3 },
  { productModel: 'HMC-630', region: '华东', tickets: 2 },
];

describe('report chart option', () => {
  it('draws two dimensions as the first along the axis and one legend series per value of the second', () => {
    const option = reportChartOption(
      { dimensions: ['productModel', 'region'], measures: ['tickets'], chart: 'bar' },
      { columns: ['productModel', 'region', 'tickets'], rows },
      names,
    ) as { xAxis: { data: string[] }; series: { name: string; data: (number | null)[] }[] };
    expect(option.xAxis.data).toEqual(['VMC-850', 'HMC-630']);
    // A model without tickets in a region has no bar there (null), not a bar of another region's count.
    expect(option.series.map((s) => [s.name, s.data])).toEqual([
      ['华东', [5, 2]],
      ['华南', [3, null]],
    ]);
  });

  it('keeps one series per measure, named by the measure, for one dimension', () => {
    const option = reportChartOption(
      { dimensions: ['productModel'], measures: ['tickets'], chart: 'line' },
      { columns: ['productModel', 'tickets'], rows: [{ productModel: 'VMC-850', tickets: 8 }] },
      names,
    ) as { xAxis: { data: string[] }; series: { name: string; type: string; data: number[] }[] };
    expect(option.xAxis.data).toEqual(['VMC-850']);
    expect(option.series).toEqual([{ name: 'M:tickets', type: 'line', data: [8] }]);
  });
});
