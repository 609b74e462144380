import { type ReportDefinition, type ReportResult, reportChartOption } from '@serviceloop/contracts';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import SVGtoPDF from 'svg-to-pdfkit';
import { type Locale, translate } from '../../platform/i18n';
import { newDocument } from '../portal/index';
import { columnLabel, formatMeasure } from './labels';

// The chart types reports draw, rendered to SVG without a browser (ECharts server-side rendering).
echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

export interface DashboardWidget {
  name: string;
  definition: ReportDefinition;
  /** Null when the reader may no longer see the report: the widget says so instead of failing the file. */
  result: ReportResult | null;
}

const PAGE = { width: 595.28, height: 841.89, margin: 36 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const WIDGET_HEIGHT = 340;
const TABLE_ROWS = 18;
/** SVG user units per PDF point when the chart is drawn: a larger canvas keeps labels legible once scaled down. */
const CHART_SCALE = 1.5;

/** One report's chart as an SVG document, drawn by the same option builder the browser uses. */
export function chartSvg(widget: DashboardWidget, locale: Locale, width: number, height: number): string | null {
  if (!widget.result) return null;
  const option = reportChartOption(widget.definition, widget.result, {
    measure: (m) => translate(`analytics.measure.${m}`, locale),
    cumulative: translate('analytics.cumulative', locale),
  });
  if (!option) return null;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    // Paper has no tooltips: every bar, point and slice carries its value as a label instead.
    const series = (option.series as Record<string, unknown>[]).map((s) => ({
      ...s,
      // No halo: svg-to-pdfkit ignores `paint-order`, so ECharts' white text border would cover the digits.
      label: {
        show: true,
        textBorderColor: 'none',
        ...(s.type === 'pie' ? { formatter: '{b}: {c}' } : { position: 'top' }),
      },
    }));
    // The page is wider than a dashboard card: a few category names fit unrotated (and stay one line of text).
    const xAxis = option.xAxis as { data: unknown[]; axisLabel: Record<string, unknown> } | undefined;
    const upright = xAxis && xAxis.data.length <= 8;
    const { tooltip: _paperHasNone, ...drawn } = option;
    chart.setOption({
      ...drawn,
      ...(upright ? { xAxis: { ...xAxis, axisLabel: { ...xAxis.axisLabel, rotate: 0 } } } : {}),
      series,
      animation: false,
      textStyle: { fontFamily: 'sans-serif' },
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/**
 * A dashboard as a PDF: a title with the time it was taken, then each widget — its chart drawn
 * server-side to SVG and placed as vectors (svg-to-pdfkit), or its table — two to an A4 page.
 * Text is set in the CJK font, so Chinese titles and numbers are real, searchable text.
 */
export async function renderDashboardPdf(
  font: { path: string; family?: string },
  dashboard: { name: string; takenAt: string },
  widgets: DashboardWidget[],
  locale: Locale,
): Promise<Buffer> {
  const { doc, done } = newDocument(font);
  doc.info.Title = dashboard.name;
  const t = (key: string, params?: Record<string, unknown>) => translate(key, locale, params);
  doc.fontSize(18).text(dashboard.name, PAGE.margin, PAGE.margin, { width: CONTENT_WIDTH });
  doc
    .fontSize(9)
    .fillColor('#666')
    .text(t('analytics.pdf_taken', { at: dashboard.takenAt }), { width: CONTENT_WIDTH })
    .fillColor('#000');
  let y = doc.y + 12;

  for (const widget of widgets) {
    if (y + WIDGET_HEIGHT > PAGE.height - PAGE.margin) {
      doc.addPage({ size: 'A4', margin: 0 });
      y = PAGE.margin;
    }
    doc.fontSize(12).text(widget.name, PAGE.margin, y, { width: CONTENT_WIDTH });
    const top = doc.y + 6;
    const height = WIDGET_HEIGHT - (top - y) - 12;
    if (!widget.result) {
      doc.fontSize(10).fillColor('#999').text(t('analytics.pdf_unavailable'), PAGE.margin, top).fillColor('#000');
    } else if (widget.result.rows.length === 0) {
      doc.fontSize(10).fillColor('#999').text(t('analytics.pdf_empty'), PAGE.margin, top).fillColor('#000');
    } else {
      const svg = chartSvg(widget, locale, CONTENT_WIDTH * CHART_SCALE, height * CHART_SCALE);
      if (svg) {
        SVGtoPDF(doc as never, svg, PAGE.margin, top, {
          width: CONTENT_WIDTH,
          height,
          preserveAspectRatio: 'xMinYMin meet',
          // Every SVG text (axis labels, legends, names) in the embedded CJK font.
          fontCallback: () => 'cjk',
        });
      } else {
        drawTable(doc, widget, locale, top);
      }
    }
    y += WIDGET_HEIGHT;
  }
  doc.end();
  return done;
}

/** A widget's result as a table of up to TABLE_ROWS rows, in the reader's language. */
function drawTable(doc: PDFKit.PDFDocument, widget: DashboardWidget, locale: Locale, top: number) {
  const result = widget.result!;
  const dims = widget.definition.dimensions as readonly string[];
  const widths = result.columns.map((c) => (dims.includes(c) ? 2 : 1));
  const unit = CONTENT_WIDTH / widths.reduce((a, b) => a + b, 0);
  const row = (cells: string[], y: number, bold = false) => {
    let x = PAGE.margin;
    cells.forEach((cell, i) => {
      const w = widths[i]! * unit;
      const numeric = !dims.includes(result.columns[i]!);
      doc
        .fontSize(9)
        .fillColor(bold ? '#000' : '#222')
        .text(cell, x + 2, y, { width: w - 4, align: numeric ? 'right' : 'left', lineBreak: false, ellipsis: true });
      x += w;
    });
  };
  row(
    result.columns.map((c) => columnLabel(c, dims, locale)),
    top,
    true,
  );
  doc
    .moveTo(PAGE.margin, top + 13)
    .lineTo(PAGE.margin + CONTENT_WIDTH, top + 13)
    .strokeColor('#ccc')
    .stroke();
  result.rows.slice(0, TABLE_ROWS).forEach((r, i) => {
    row(
      result.columns.map((c) => (dims.includes(c) ? String(r[c] ?? '—') : formatMeasure(c, r[c], locale))),
      top + 17 + i * 15,
    );
  });
  if (result.rows.length > TABLE_ROWS)
    doc
      .fontSize(8)
      .fillColor('#999')
      .text(
        translate('analytics.pdf_more', locale, { n: result.rows.length - TABLE_ROWS }),
        PAGE.margin,
        top + 17 + TABLE_ROWS * 15,
      )
      .fillColor('#000');
}
