import { existsSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../test/pdf';
import { cjkFont, renderLabelSheet, renderServiceReport } from './documents';

// A fresh machine without fonts-noto-cjk: no system font is found, the shipped Noto Sans SC is used.
const noSystemFonts = cjkFont({}, []);

describe('Chinese PDFs without a system CJK font', () => {
  it('fall back to the Noto Sans SC font shipped as a dependency', () => {
    expect(noSystemFonts?.path).toMatch(/NotoSansSC_400Regular\.ttf$/);
    expect(existsSync(noSystemFonts!.path)).toBe(true);
  });

  it('print a QR label sheet whose Chinese is real text', async () => {
    const pdf = await renderLabelSheet(
      noSystemFonts!,
      [
        {
          url: 'http://192.168.1.20:3000/portal/r/A-0001',
          assetCode: 'A-0001',
          modelName: '立式加工中心',
          serialNumber: 'SN-2026-001',
          customerName: '华东精密机械',
        },
      ],
      '设备二维码标签',
    );
    const text = await pdfText(pdf);
    expect(text).toContain('立式加工中心');
    expect(text).toContain('资产编号');
    // Only the glyphs used are embedded: a label sheet stays small although the font is 10 MB.
    expect(pdf.length).toBeLessThan(200_000);
  });

  it('print a service report in Chinese', async () => {
    const pdf = await renderServiceReport(noSystemFonts!, {
      number: 'T-20261207-0001',
      customerName: '华东精密机械',
      contact: '王经理 13912345678',
      address: '上海市浦东新区张江路 88 号',
      device: null,
      reportedAt: '2026-12-07 09:00',
      title: '主轴异响',
      description: '开机后主轴有周期性异响',
      diagnosis: '主轴轴承磨损',
      rootCause: '润滑不足',
      actionsTaken: '更换轴承并加注润滑脂',
      partsUsed: [],
      labourMinutes: 90,
      travelMinutes: 30,
      checklist: [{ label: '试运行正常', passed: true }],
      visits: [],
      engineer: '李工',
      csat: 5,
      confirmedAt: '',
      signaturePng: null,
      printedAt: '2026-12-07 12:00',
    });
    const text = await pdfText(pdf);
    expect(text).toContain('主轴轴承磨损');
    expect(text).toContain('更换轴承并加注润滑脂');
  });
});

/** Text runs of page 1 with where they sit (PDF points, origin bottom left). */
async function textRuns(bytes: Buffer) {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  const content = await (await pdf.getPage(1)).getTextContent();
  return content.items
    .filter((item) => 'str' in item && item.str.trim() !== '')
    .map((item) => {
      const run = item as { str: string; transform: number[]; height: number };
      return { text: run.str, x: run.transform[4]!, bottom: run.transform[5]!, top: run.transform[5]! + run.height };
    });
}

const MM = 72 / 25.4;

describe('QR label sheet', () => {
  it('never prints a long serial or asset code over the next line, and keeps them inside the label', async () => {
    const pdf = await renderLabelSheet(
      noSystemFonts!,
      [
        {
          url: 'http://192.168.1.20:3000/portal/r/QR-HOME-001',
          assetCode: 'QR-HOME-001',
          modelName: '立式加工中心 VMC-850 高速主轴型（带第四轴转台与自动换刀库）',
          serialNumber: 'SN-2024-000000000001-LONG-SERIAL-NUMBER-XYZ',
          customerName: '华东精密机械',
        },
        {
          url: 'http://192.168.1.20:3000/portal/r/QR-HOME-002',
          assetCode: 'QR-HOME-002-VERY-LONG-ASSET-CODE-1234567890',
          modelName: 'VMC-850',
          serialNumber: 'SN1',
          customerName: '华东精密机械',
        },
      ],
      '设备二维码标签',
    );
    const runs = await textRuns(pdf);
    expect(runs.map((r) => r.text).join('')).toContain('QR-HOME-001');
    // The labels' text columns start at 34 mm into each 70 mm label; the first row's label is 37 mm high.
    const labelTop = 297 * MM - (297 * MM - 8 * 37 * MM) / 2;
    for (const column of [34 * MM, (70 + 34) * MM]) {
      const lines = runs.filter((r) => Math.abs(r.x - column) < 1).sort((a, b) => b.top - a.top);
      expect(lines.length).toBeGreaterThanOrEqual(4);
      for (const [above, below] of lines.slice(0, -1).map((line, i) => [line, lines[i + 1]!] as const))
        expect(below.top, `"${below.text}" runs into "${above.text}"`).toBeLessThanOrEqual(above.bottom + 0.01);
      expect(lines[0]!.top).toBeLessThanOrEqual(labelTop);
      expect(lines.at(-1)!.bottom).toBeGreaterThanOrEqual(labelTop - 37 * MM);
    }
  });
});
