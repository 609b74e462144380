import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { cjkFont, renderLabelSheet } from './documents';

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

// The layout is what is tested, not the glyphs: where no CJK font is installed, DejaVu Sans (always
// on Debian) stands in.
const FONT = cjkFont() ?? { path: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' };
const MM = 72 / 25.4;

describe('QR label sheet', () => {
  it('never prints a long serial or asset code over the next line, and keeps them inside the label', async () => {
    const pdf = await renderLabelSheet(
      FONT,
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
