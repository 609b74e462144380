import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the chart types the console draws, so the bundle carries no more of ECharts than that.
// SVG rather than canvas: sharp on a phone's dense screen, lighter on its memory for charts this
// small, and the labels stay real text (selectable, and a browser test can read where they fall).
echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** An ECharts chart that follows its option and its container's width; `onClick` gets the data index. */
export function EChart(props: {
  option: echarts.EChartsCoreOption;
  height?: number;
  onClick?: (index: number) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const onClick = useRef(props.onClick);
  onClick.current = props.onClick;

  useEffect(() => {
    const instance = echarts.init(element.current!, undefined, { renderer: 'svg' });
    chart.current = instance;
    instance.on('click', (e) => onClick.current?.(e.dataIndex));
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(element.current!);
    return () => {
      resize.disconnect();
      instance.dispose();
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(props.option, true);
  }, [props.option]);

  return <div ref={element} style={{ width: '100%', height: props.height ?? 320 }} />;
}
