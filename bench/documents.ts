/**
 * PDF rendering cost: a service report (服务报告单) and QR label sheets of 24 and 200 devices,
 * with the embedded CJK subset. Run: npx tsx bench/documents.ts
 */
import { cjkFont, renderLabelSheet, renderServiceReport } from '../apps/server/src/modules/portal/documents';

const font = cjkFont();
if (!font) throw new Error('install fonts-noto-cjk first');

const report = {
  number: 'SV-2026-000123',
  customerName: '深圳精工数控设备有限公司',
  contact: '周先生 13812345678',
  address: '广东省深圳市南山区科技园南路 1 号',
  device: { model: '立式加工中心 VMC-850', serialNumber: 'ZC850-2024-0001', assetCode: 'ZC-001-1', warranty: '保内' },
  reportedAt: '2026-05-06 09:12',
  title: '主轴报警停机',
  description: '主轴报警 ALM-401，设备停机，无法复位，生产线停产',
  diagnosis: '主轴编码器信号丢失',
  rootCause: '主轴编码器线缆磨损断线',
  actionsTaken: '更换编码器线缆并重新固定走线，空载与负载试车各 30 分钟',
  partsUsed: [{ sku: 'ENC-CBL-5M', name: '编码器线缆 5 米', quantity: 1 }],
  labourMinutes: 120,
  travelMinutes: 45,
  checklist: [
    { label: '功能测试', passed: true },
    { label: '压力测试', passed: true },
    { label: '相关部件检查', passed: true },
  ],
  visits: ['张伟 2026-05-06 14:00–16:30'],
  engineer: '张伟',
  csat: 5,
  confirmedAt: '2026-05-06 16:40',
  signaturePng: null,
  printedAt: '2026-05-06 16:45',
};
const labels = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    url: `https://service.example.com/portal/r/ZC-${String(i + 1).padStart(3, '0')}-1`,
    assetCode: `ZC-${String(i + 1).padStart(3, '0')}-1`,
    modelName: '立式加工中心 VMC-850',
    serialNumber: `ZC850-2024-${String(i + 1).padStart(4, '0')}`,
    customerName: '深圳精工数控设备有限公司',
  }));

async function time(name: string, run: () => Promise<Buffer>) {
  await run(); // warm: font parsing, module loading
  const runs = 5;
  const start = performance.now();
  let bytes = 0;
  for (let i = 0; i < runs; i++) bytes = (await run()).length;
  console.log(`${name}: ${((performance.now() - start) / runs).toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KB`);
}

await time('service report', () => renderServiceReport(font, report));
await time('labels ×24 (1 sheet)', () => renderLabelSheet(font, labels(24), 'labels'));
await time('labels ×200 (9 sheets)', () => renderLabelSheet(font, labels(200), 'labels'));
