import { existsSync } from 'node:fs';
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
