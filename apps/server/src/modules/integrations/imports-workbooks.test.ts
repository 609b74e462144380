import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';
import { dotNetWorkbook, multipartFile, openpyxlWorkbook, readXlsx } from '../../../test/import-files';

/**
 * Workbooks as other producers write them (issue 12 item 3), built part by part the way each one
 * does: openpyxl's formulas without a saved result, .NET's prefixed XML, a sheet of instructions
 * before the data.
 */

const CUSTOMER = '华北重工有限公司';
const HEADER = ['原工单号', '客户名称', '故障标题', '问题类型', '报修时间', '解决时间', '关闭时间', '上门次数'];
const ticket = (n: string, title: string, visits: string | number) => [
  n,
  CUSTOMER,
  title,
  '主板坏了',
  '2024-06-01 09:00',
  '2024-06-01 12:00',
  '2024-06-01 13:00',
  visits,
];
const INSTRUCTIONS = {
  name: '填写说明',
  rows: [['历史工单导入说明'], ['客户名称须与系统一致', '时间按北京时间填写'], ['列名', '说明']],
};

describe.each(BACKENDS)('importing workbooks of other producers on %s', (kind) => {
  let server: TestServer;
  let admin: Agent;

  const upload = async (entity: string, name: string, content: Buffer, fields: Record<string, string> = {}) => {
    const { payload, headers } = multipartFile(name, content, { entity, ...fields });
    return admin.request('POST', '/api/v1/imports', payload, headers);
  };
  const ticketsTitled = async (prefix: string) =>
    (await admin.get(`/api/v1/tickets?pageSize=50&q=${encodeURIComponent(prefix)}`)).json().total as number;

  beforeAll(async () => {
    server = await createTestServer(kind);
    admin = await server.signIn('admin');
    const customer = await admin.post('/api/v1/customers', {
      name: CUSTOMER,
      regionCode: '110000',
      industry: 'machine_tools',
    });
    expect(customer.statusCode, customer.body).toBe(201);
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses a formula openpyxl saved without a result by its cell, and never reads it as empty or 0', async () => {
    const file = openpyxlWorkbook([
      {
        name: 'Sheet',
        rows: [HEADER, ticket('PY-1', '=B2&"主轴异响"', '=1+1'), ticket('PY-2', '公式行之后 主轴异响', 1)],
      },
    ]);
    const res = await upload('ticket', 'openpyxl.xlsx', file);
    expect(res.statusCode, res.body).toBe(201);
    const up = res.json();
    // The mapping step already shows the formula where its value would be.
    expect(up.sample[0][2]).toBe('=B2&"主轴异响"');
    for (const [locale, message] of [
      ['zh-CN', '故障标题：单元格 C2 的公式没有保存计算结果，请用 Excel 或 WPS 打开文件、保存后重新上传'],
      [
        'en-US',
        'Title: the formula in cell C2 has no saved result; open the file in Excel or WPS, save it and upload it again',
      ],
    ] as const) {
      const commit = await admin.request(
        'POST',
        `/api/v1/imports/${up.run.id}/commit`,
        { mapping: up.mapping },
        { 'accept-language': locale },
      );
      expect(commit.statusCode, commit.body).toBe(422);
      const errors = commit.json().details.errors;
      expect(errors.map((e: { row: number; field: string; column: string; code: string; value: string }) => e)).toEqual(
        [
          {
            row: 2,
            field: 'title',
            column: '故障标题',
            code: 'import.formula_without_value',
            value: '=B2&"主轴异响"',
            message,
          },
          {
            row: 2,
            field: 'visits',
            column: '上门次数',
            code: 'import.formula_without_value',
            value: '=1+1',
            message: expect.stringContaining('H2'),
          },
        ],
      );
    }
    expect(await ticketsTitled('主轴异响')).toBe(0);
    // The error file gives the formula back as text in its own cell, not as a formula one column off.
    const rows = await readXlsx((await admin.get(`/api/v1/imports/${up.run.id}/error-file`)).rawPayload);
    expect(rows[1]!.slice(1)).toEqual(ticket('PY-1', '=B2&"主轴异响"', '=1+1').map(String));
  });

  it('imports a .NET workbook whose XML carries the x: prefix everywhere', async () => {
    const file = dotNetWorkbook([
      {
        name: 'Customers',
        rows: [
          ['客户名称', '省份', '行业', '客户等级'],
          ['命名空间机械厂', '江苏', '机床/制造', 'VIP'],
          ['Prefix & Sons 电梯', '440000', 'elevator', '普通'],
        ],
      },
    ]);
    const res = await upload('customer', 'dotnet.xlsx', file);
    expect(res.statusCode, res.body).toBe(201);
    const up = res.json();
    expect(up).toMatchObject({ sheet: 'Customers', sheets: ['Customers'], headerRow: 1 });
    expect(up.mapping).toEqual({ 客户名称: 'name', 省份: 'regionCode', 行业: 'industry', 客户等级: 'tier' });
    const done = await admin.post(`/api/v1/imports/${up.run.id}/commit`, { mapping: up.mapping });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().imported).toBe(2);
    const found = (await admin.get(`/api/v1/customers?q=${encodeURIComponent('Prefix & Sons')}`)).json();
    expect(found.items).toEqual([
      expect.objectContaining({ name: 'Prefix & Sons 电梯', regionCode: '440000', tier: 'standard' }),
    ]);
  });

  it('reads the sheet that holds the header after an instructions sheet, lets the user pick a sheet, and imports the one picked', async () => {
    const file = openpyxlWorkbook([
      INSTRUCTIONS,
      { name: '工单', rows: [HEADER, ticket('SH-1', '第二张表 伺服报警', 1), ticket('SH-2', '第二张表 伺服过载', 2)] },
    ]);
    const res = await upload('ticket', 'with-instructions.xlsx', file);
    expect(res.statusCode, res.body).toBe(201);
    const up = res.json();
    expect(up).toMatchObject({ sheet: '工单', sheets: ['填写说明', '工单'], headerRow: 1, headers: HEADER });
    expect(up.mapping).toMatchObject({ 客户名称: 'customerName', 故障标题: 'title', 上门次数: 'visits' });

    // Picking the instructions sheet: its header and sample replace the first; its "fields have no
    // column" problems name the fields by their labels in the reader's language, never by key.
    const picked = await admin.request('PUT', `/api/v1/imports/${up.run.id}/sheet`, { sheet: '填写说明' });
    expect(picked.statusCode, picked.body).toBe(200);
    expect(picked.json()).toMatchObject({ sheet: '填写说明', headers: ['客户名称须与系统一致', '时间按北京时间填写'] });
    for (const [locale, label] of [
      ['zh-CN', '必填字段“故障标题”没有对应的列'],
      ['en-US', 'No column is mapped to the required field “Title”'],
    ] as const) {
      const refused = await admin.request(
        'POST',
        `/api/v1/imports/${up.run.id}/analyse`,
        { mapping: picked.json().mapping },
        { 'accept-language': locale },
      );
      expect(refused.statusCode, refused.body).toBe(400);
      const messages = refused.json().details.map((d: { message: string }) => d.message);
      expect(messages).toContain(label);
      expect(messages.join(' ')).not.toMatch(/customerName|reportedAt|problemType/);
    }

    const unknown = await admin.request('PUT', `/api/v1/imports/${up.run.id}/sheet`, { sheet: 'Sheet9' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      code: 'import.unknown_sheet',
      message: '文件中没有工作表“Sheet9”（现有：填写说明 / 工单）',
      details: [{ path: 'sheet', code: 'import.unknown_sheet' }],
    });

    // Back to the data: the dry run and the import read the sheet picked last.
    const back = (await admin.request('PUT', `/api/v1/imports/${up.run.id}/sheet`, { sheet: '工单' })).json();
    const report = (await admin.post(`/api/v1/imports/${up.run.id}/analyse`, { mapping: back.mapping })).json();
    expect(report).toMatchObject({ rowCount: 2, errorCount: 0 });
    const done = await admin.post(`/api/v1/imports/${up.run.id}/commit`, { mapping: back.mapping });
    expect(done.statusCode, done.body).toBe(200);
    expect(await ticketsTitled('第二张表')).toBe(2);
    const again = await admin.request('PUT', `/api/v1/imports/${up.run.id}/sheet`, { sheet: '填写说明' });
    expect(again.statusCode).toBe(409);
  });

  it('takes the sheet named at upload, and refuses a sheet for a CSV', async () => {
    const file = openpyxlWorkbook([INSTRUCTIONS, { name: '工单', rows: [HEADER] }]);
    const named = await upload('ticket', 'named.xlsx', file, { sheet: '填写说明' });
    expect(named.statusCode, named.body).toBe(201);
    expect(named.json()).toMatchObject({ sheet: '填写说明', sheets: ['填写说明', '工单'] });
    const csv = await upload('customer', 'c.csv', Buffer.from('客户名称\n甲\n'), { sheet: '工单' });
    expect(csv.statusCode).toBe(400);
    expect(csv.json()).toMatchObject({ code: 'import.csv_no_sheets', details: [{ path: 'sheet' }] });
  });
});
