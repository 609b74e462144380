import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/**
 * Printable documents with Chinese text: pdfkit embeds a subset of a CJK font (only the glyphs
 * used), so a report is tens of kilobytes, not the font's 10–20 MB. CJK_FONT_PATH (with
 * CJK_FONT_FAMILY for a .ttc collection) chooses one; else Debian's fonts-noto-cjk when installed;
 * else Noto Sans SC shipped as an npm dependency, so a fresh machine without system fonts prints too.
 */
export type CjkFont = { path: string; family?: string };

export const SYSTEM_CJK_FONTS: CjkFont[] = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
];

function bundledFont(): CjkFont | null {
  try {
    return {
      path: createRequire(import.meta.url).resolve(
        '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
      ),
    };
  } catch {
    return null;
  }
}

export function cjkFont(env: NodeJS.ProcessEnv = process.env, systemFonts = SYSTEM_CJK_FONTS): CjkFont | null {
  if (env.CJK_FONT_PATH)
    return existsSync(env.CJK_FONT_PATH) ? { path: env.CJK_FONT_PATH, family: env.CJK_FONT_FAMILY } : null;
  return systemFonts.find((font) => existsSync(font.path)) ?? bundledFont();
}

/** An A4 document in the CJK font, and its bytes once ended. */
export function newDocument(font: CjkFont) {
  const doc = new PDFDocument({ size: 'A4', margin: 0, info: { Producer: 'ServiceLoop', Creator: 'ServiceLoop' } });
  doc.registerFont('cjk', font.path, font.family);
  doc.font('cjk');
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}

const MM = 72 / 25.4;

export interface DeviceLabel {
  url: string;
  assetCode: string;
  modelName: string;
  serialNumber: string;
  customerName: string;
}

/** The smallest type a label line shrinks to before it wraps: still legible on a 37 mm label. */
const LABEL_MIN_SIZE = 5;

/**
 * One line of a label at `y`, in 7 pt shrunk (down to LABEL_MIN_SIZE) until it fits the width — a
 * code read off a label must stay whole — wrapping only beyond that. Returns where the next line starts.
 */
function labelLine(doc: PDFKit.PDFDocument, text: string, x: number, y: number, width: number): number {
  for (let size = 7; size >= LABEL_MIN_SIZE; size -= 0.5) {
    doc.fontSize(size);
    if (doc.widthOfString(text) <= width) break;
  }
  doc.text(text, x, y, { width });
  return doc.y + 1;
}

/**
 * An A4 sheet of 3 × 8 labels, 70 × 37 mm (the common 24-up adhesive sheet): QR code to the
 * device's report page on the left, model, serial number and asset code beside it.
 */
export async function renderLabelSheet(font: CjkFont, labels: DeviceLabel[], title: string): Promise<Buffer> {
  const { doc, done } = newDocument(font);
  doc.info.Title = title;
  const cols = 3;
  const rows = 8;
  const w = 70 * MM;
  const h = 37 * MM;
  const top = (297 * MM - rows * h) / 2;
  for (let i = 0; i < labels.length; i++) {
    const slot = i % (cols * rows);
    if (i > 0 && slot === 0) doc.addPage({ size: 'A4', margin: 0 });
    const x = (slot % cols) * w;
    const y = top + Math.floor(slot / cols) * h;
    const label = labels[i]!;
    const qr = await QRCode.toBuffer(label.url, { errorCorrectionLevel: 'M', margin: 1, width: 240 });
    const qrSize = 29 * MM;
    doc.image(qr, x + 3 * MM, y + (h - qrSize) / 2, { width: qrSize, height: qrSize });
    const tx = x + 34 * MM;
    const tw = w - 36 * MM;
    // Each line starts below the one before, so a long model name, serial or asset code pushes the
    // next line down instead of printing over it.
    doc
      .fillColor('#000')
      .fontSize(8)
      .text(label.modelName, tx, y + 4 * MM, { width: tw, height: 20, ellipsis: true });
    let next = doc.y + 3;
    next = labelLine(doc, `序列号 S/N ${label.serialNumber}`, tx, next, tw);
    next = labelLine(doc, `资产编号 ${label.assetCode}`, tx, next, tw);
    doc
      .fillColor('#555')
      .fontSize(7)
      .text('扫码报修 Scan to report', tx, Math.max(next + 2, y + 27 * MM), {
        width: tw,
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}

export interface ServiceReport {
  number: string;
  customerName: string;
  contact: string;
  address: string;
  device: { model: string; serialNumber: string; assetCode: string; warranty: string } | null;
  reportedAt: string;
  title: string;
  description: string;
  diagnosis: string;
  rootCause: string;
  actionsTaken: string;
  partsUsed: { sku: string; name: string; quantity: number }[];
  labourMinutes: number | null;
  travelMinutes: number | null;
  checklist: { label: string; passed: boolean }[];
  visits: string[];
  engineer: string;
  csat: number | null;
  confirmedAt: string;
  signaturePng: Buffer | null;
  printedAt: string;
}

/** 服务报告单: one or two A4 pages a customer signs off and files. */
export async function renderServiceReport(font: CjkFont, r: ServiceReport): Promise<Buffer> {
  const { doc, done } = newDocument(font);
  doc.info.Title = `服务报告单 ${r.number}`;
  const left = 18 * MM;
  const width = 210 * MM - 2 * left;
  doc.page.margins = { top: 18 * MM, bottom: 18 * MM, left, right: left };
  doc.y = 18 * MM;
  doc.fontSize(18).text('服务报告单', left, doc.y, { width, align: 'center' });
  doc
    .fontSize(9)
    .fillColor('#555')
    .text(`Service report · ${r.number} · 打印于 ${r.printedAt}`, { width, align: 'center' });
  doc.moveDown(0.8).fillColor('#000');

  const section = (heading: string) => {
    doc.moveDown(0.5).fontSize(11).fillColor('#1f4e8c').text(heading, left, doc.y, { width });
    const y = doc.y + 1;
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.5)
      .strokeColor('#1f4e8c')
      .stroke();
    doc.moveDown(0.3).fontSize(9.5).fillColor('#000');
  };
  const field = (label: string, value: string) => {
    doc.text(`${label}：${value || '—'}`, left, doc.y, { width });
  };

  section('客户信息');
  field('客户', r.customerName);
  field('联系人', r.contact);
  field('服务地址', r.address);
  section('设备信息');
  if (r.device) {
    field('设备型号', r.device.model);
    field('序列号', r.device.serialNumber);
    field('资产编号', r.device.assetCode);
    field('保修状态', r.device.warranty);
  } else field('设备', '未登记');
  section('故障情况');
  field('报修时间', r.reportedAt);
  field('故障现象', r.title);
  field('故障描述', r.description);
  field('初步诊断', r.diagnosis);
  section('处理结果');
  field('根本原因', r.rootCause);
  field('处理措施', r.actionsTaken);
  field(
    '更换备件',
    r.partsUsed.length ? r.partsUsed.map((p) => `${p.name}（${p.sku}）× ${p.quantity}`).join('；') : '无',
  );
  field('工时', r.labourMinutes === null ? '' : `${r.labourMinutes} 分钟`);
  field('路途', r.travelMinutes === null ? '' : `${r.travelMinutes} 分钟`);
  field('上门记录', r.visits.join('；'));
  section('验证清单');
  for (const item of r.checklist) field(item.label, item.passed ? '通过' : '未通过');
  section('确认');
  field('服务工程师', r.engineer);
  field('客户满意度', r.csat === null ? '' : `${r.csat} / 5`);
  field('客户确认时间', r.confirmedAt);
  doc.text('客户签字：', left, doc.y, { width });
  if (r.signaturePng) {
    if (doc.y + 30 * MM > 297 * MM - 18 * MM) doc.addPage({ size: 'A4', margin: 18 * MM });
    doc.image(r.signaturePng, left, doc.y + 2, { fit: [70 * MM, 24 * MM] });
    doc.y += 26 * MM;
  } else doc.fillColor('#888').text('（未签字）', left, doc.y, { width }).fillColor('#000');
  doc.end();
  return done;
}
