import ExcelJS from 'exceljs';

/** A multipart body with text fields first, then the file (the order the import route reads). */
export function multipartFile(filename: string, content: Buffer, fields: Record<string, string> = {}) {
  const boundary = `----serviceloop${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** An xlsx with the given rows (first sheet), as a manager's export would look. */
export async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('导出');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The rows of an xlsx's first sheet as text. */
export async function readXlsx(content: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  const out: string[][] = [];
  workbook.worksheets[0]!.eachRow((row) => {
    const values = row.values as unknown[];
    out.push(
      Array.from({ length: values.length - 1 }, (_, i) => values[i + 1]).map((v) => (v == null ? '' : String(v))),
    );
  });
  return out;
}

export const PROBLEMS = [
  '主板坏了',
  '开不了机',
  '传感器故障',
  '死机',
  '同步失败',
  '参数错误',
  '误删',
  '配件质量差',
  '受潮',
];

/** A ticket history export of `n` rows over `devices` devices SN-0…, written with exceljs's streaming writer. */
export async function historyFile(file: string, n: number, devices: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('工单');
  sheet
    .addRow([
      '工单号',
      '客户名称',
      '设备序列号',
      '标题',
      '问题类型',
      '优先级',
      '报修时间',
      '响应时间',
      '解决时间',
      '关闭时间',
      '满意度',
    ])
    .commit();
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < n; i++) {
    const reported = start + i * 300_000;
    const at = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    sheet
      .addRow([
        `H-${i}`,
        '批量客户',
        `SN-${i % devices}`,
        '历史故障',
        PROBLEMS[i % PROBLEMS.length],
        `P${i % 4}`,
        at(reported),
        at(reported + 1_800_000),
        at(reported + 7_200_000),
        at(reported + 10_800_000),
        1 + (i % 5),
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}
