import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';
import { multipartFile, readXlsx, xlsx } from '../../../test/import-files';

const HEADER = [
  '原工单号',
  '客户名称',
  '设备序列号',
  '故障标题',
  '问题类型',
  '优先级',
  '报修时间',
  '响应时间',
  '解决时间',
  '关闭时间',
  '满意度',
  '工程师',
];

describe.each(BACKENDS)('historical import on %s', (kind) => {
  let server: TestServer;
  let admin: Agent;

  const upload = async (agent: Agent, entity: string, name: string, content: Buffer) => {
    const { payload, headers } = multipartFile(name, content, { entity });
    return agent.request('POST', '/api/v1/imports', payload, headers);
  };
  const count = async (table: string) =>
    Number(
      (
        (await server.platform.db.execute(`select count(*)::int as n from ${table}` as never)) as unknown as {
          rows: { n: number }[];
        }
      ).rows[0]!.n,
    );

  beforeAll(async () => {
    server = await createTestServer(kind);
    admin = await server.signIn('admin');
    const customer = (
      await admin.post('/api/v1/customers', {
        name: '华东精机有限公司',
        regionCode: '310000',
        industry: 'machine_tools',
      })
    ).json();
    const model = (
      await admin.post('/api/v1/product-models', { code: 'VMC-850', name: '立式加工中心', category: 'cnc_machine' })
    ).json();
    await admin.post('/api/v1/devices', { modelId: model.id, serialNumber: 'SN-001', customerId: customer.id });
    await admin.post('/api/v1/devices', { modelId: model.id, serialNumber: 'SN-002', customerId: customer.id });
    await server.userWith('engineer', { username: 'eng-li' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('detects the header under a title, guesses the mapping, and a file with one bad row writes nothing and explains it', async () => {
    const file = await xlsx([
      ['2024 年售后工单导出'],
      [],
      HEADER,
      [
        'OLD-1',
        '华东精机有限公司',
        'SN-001',
        '主轴报警停机',
        '主板坏了',
        'P1',
        '2024-03-01 09:00',
        '2024-03-01 09:30',
        '2024-03-01 15:00',
        '2024-03-02 10:00',
        5,
        'eng-li',
      ],
      [
        'OLD-2',
        '华东精机有限公司',
        'SN-002',
        '系统卡死',
        '死机',
        'P2',
        '2024/3/5 10:00',
        '2024/3/5 11:00',
        '2024/3/6 10:00',
        '2024/3/5 12:00',
        4,
        'eng-li',
      ],
    ]);
    const res = await upload(admin, 'ticket', '工单.xlsx', file);
    expect(res.statusCode, res.body).toBe(201);
    const up = res.json();
    expect(up.headerRow).toBe(3);
    expect(up.headers).toEqual(HEADER);
    expect(up.mapping).toMatchObject({
      原工单号: 'sourceNumber',
      客户名称: 'customerName',
      设备序列号: 'serialNumber',
      故障标题: 'title',
      问题类型: 'problemType',
      报修时间: 'reportedAt',
      响应时间: 'respondedAt',
      解决时间: 'resolvedAt',
      关闭时间: 'closedAt',
      满意度: 'csat',
      工程师: 'engineer',
    });
    const ticketsBefore = await count('tickets');
    const eventsBefore = await count('events');
    for (const [locale, message] of [
      ['zh-CN', '关闭时间：早于解决时间'],
      ['en-US', 'Closed at: is earlier than Resolved at'],
    ] as const) {
      const commit = await admin.request(
        'POST',
        `/api/v1/imports/${up.run.id}/commit`,
        { mapping: up.mapping },
        { 'accept-language': locale },
      );
      expect(commit.statusCode, commit.body).toBe(422);
      const body = commit.json();
      expect(body.code).toBe('import.rows_invalid');
      expect(body.details.errors).toEqual([
        { row: 5, field: 'closedAt', column: '关闭时间', code: 'import.before', value: '2024/3/5 12:00', message },
      ]);
    }
    expect(await count('tickets')).toBe(ticketsBefore);
    expect(await count('events')).toBe(eventsBefore);
    const run = (await admin.get(`/api/v1/imports/${up.run.id}`)).json();
    expect(run).toMatchObject({ state: 'failed', errorCount: 1, importedCount: 0, hasErrorFile: true });
    const errorFile = await admin.get(`/api/v1/imports/${up.run.id}/error-file`);
    expect(errorFile.statusCode).toBe(200);
    const rows = await readXlsx(errorFile.rawPayload);
    expect(rows[0]).toEqual(['Errors', ...HEADER]);
    expect(rows[1]![0]).toBe('');
    expect(rows[2]![0]).toBe('Closed at: is earlier than Resolved at');
    expect(rows[2]![1]).toBe('OLD-2');
  });

  it('maps unknown problem types by hand, saves them as synonyms and the mapping for next time', async () => {
    const header = ['单号', '客户', '标题', '故障大类', '报修日期', '解决时间', '结单时间'];
    const file = await xlsx([
      header,
      [
        'M-1',
        '华东精机有限公司',
        '门机不动',
        '门机板子又烧了',
        '2024-05-01 08:00',
        '2024-05-01 12:00',
        '2024-05-01 13:00',
      ],
      ['M-2', '华东精机有限公司', '不开机', '开 不 了 机', '2024-05-02 08:00', '2024-05-02 12:00', '2024-05-02 13:00'],
      [
        'M-3',
        '华东精机有限公司',
        '又坏了',
        '门机板子又烧了',
        '2024-05-03 08:00',
        '2024-05-03 12:00',
        '2024-05-03 13:00',
      ],
    ]);
    const up = (await upload(admin, 'ticket', 'history.xlsx', file)).json();
    // 「故障大类」 names no field: the user maps it.
    expect(up.mapping.故障大类).toBeNull();
    const mapping = { ...up.mapping, 故障大类: 'problemType' };
    const first = (await admin.post(`/api/v1/imports/${up.run.id}/analyse`, { mapping, saveMapping: true })).json();
    expect(first.rowCount).toBe(3);
    expect(first.unmapped).toEqual([{ field: 'problemType', value: '门机板子又烧了', count: 2 }]);
    expect(first.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [2, 'import.unmapped_value'],
      [4, 'import.unmapped_value'],
    ]);
    expect(first.preview).toHaveLength(1);
    expect(first.preview[0]).toMatchObject({ row: 3, sourceNumber: 'M-2', reportedAt: '2024-05-02T00:00:00.000Z' });

    const unknownCategory = await admin.post(`/api/v1/imports/${up.run.id}/analyse`, {
      mapping,
      values: { 门机板子又烧了: 'nope' },
    });
    expect(unknownCategory.statusCode).toBe(400);

    const values = { 门机板子又烧了: 'hardware.core_part' };
    const second = (await admin.post(`/api/v1/imports/${up.run.id}/analyse`, { mapping, values })).json();
    expect(second.errorCount).toBe(0);
    expect(second.unmapped).toEqual([]);
    const done = await admin.post(`/api/v1/imports/${up.run.id}/commit`, {
      mapping,
      values,
      saveSynonyms: ['门机板子又烧了'],
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ imported: 3, run: { state: 'imported', importedCount: 3 } });
    const classified = (
      await admin.get(`/api/v1/fault-categories/classify?text=${encodeURIComponent('门机板子又烧了！')}`)
    ).json();
    const categories = (await admin.get('/api/v1/fault-categories')).json() as { id: string; code: string }[];
    expect(classified.categoryId).toBe(categories.find((c) => c.code === 'hardware.core_part')!.id);

    const ticket = (await admin.get(`/api/v1/tickets?pageSize=50`))
      .json()
      .items.find((t: { title: string }) => t.title === '门机不动');
    expect(ticket).toMatchObject({ state: 'closed', number: expect.stringMatching(/^SV-2024-\d{6}$/) });

    // The saved mapping guesses 「故障大类」 on the next file.
    const saved = (await admin.get('/api/v1/import-mappings?entity=ticket')).json();
    expect(saved.mapping.故障大类).toBe('problemType');
    const next = (
      await upload(
        admin,
        'ticket',
        'more.xlsx',
        await xlsx([header, ['M-9', '华东精机有限公司', 't', 'x', '2024-05-01', '2024-05-01', '2024-05-01']]),
      )
    ).json();
    expect(next.mapping.故障大类).toBe('problemType');
    // The same rows again are duplicates of what is already imported.
    const again = (
      await admin.post(`/api/v1/imports/${(await upload(admin, 'ticket', 'again.xlsx', file)).json().run.id}/analyse`, {
        mapping,
        values,
      })
    ).json();
    expect(again.errors.map((e: { row: number; field: string; code: string }) => [e.row, e.field, e.code])).toEqual([
      [2, 'sourceNumber', 'import.duplicate_existing'],
      [3, 'sourceNumber', 'import.duplicate_existing'],
      [4, 'sourceNumber', 'import.duplicate_existing'],
    ]);
    const twice = await admin.post(`/api/v1/imports/${up.run.id}/commit`, { mapping, values });
    expect(twice.statusCode).toBe(409);
  });

  it('finds duplicates in the file and against existing customers, devices and parts (CSV and xlsx)', async () => {
    const customers = Buffer.from(
      new TextEncoder().encode(
        '客户名称,行业,省份,客户等级\n华东精机有限公司,机床/制造,上海,VIP\n新客户甲,elevator,广东省,普通\n新客户甲,other,440000,standard\n新客户乙,电梯,火星,\n',
      ),
    );
    const up = (await upload(admin, 'customer', 'customers.csv', customers)).json();
    expect(up.mapping).toMatchObject({ 客户名称: 'name', 行业: 'industry', 省份: 'regionCode', 客户等级: 'tier' });
    const report = (
      await admin.post(`/api/v1/imports/${up.run.id}/analyse`, { mapping: up.mapping }, { 'accept-language': 'en-US' })
    ).json();
    expect(report.errors.map((e: { row: number; field: string; code: string }) => [e.row, e.field, e.code])).toEqual([
      [2, 'name', 'import.duplicate_existing'],
      [4, 'name', 'import.duplicate_in_file'],
      [5, 'regionCode', 'import.invalid_region'],
    ]);
    expect(report.errors[1].message).toBe('Customer name: duplicates row 3');

    const devices = (
      await upload(
        admin,
        'device',
        'devices.xlsx',
        await xlsx([
          ['序列号', '型号', '客户', '安装日期', '保修到期'],
          ['SN-001', 'vmc-850', '华东精机有限公司', '2023-01-01', '2026-01-01'],
          ['SN-100', 'VMC-850', '华东精机有限公司', '2023-01-01', '2022-01-01'],
          ['SN-101', 'X-1', '无名公司', '2023-02-30', null],
        ]),
      )
    ).json();
    const deviceReport = (
      await admin.post(`/api/v1/imports/${devices.run.id}/analyse`, { mapping: devices.mapping })
    ).json();
    expect(
      deviceReport.errors.map((e: { row: number; field: string; code: string }) => [e.row, e.field, e.code]),
    ).toEqual([
      [2, 'serialNumber', 'import.duplicate_existing'],
      [3, 'warrantyEndsOn', 'import.before'],
      [4, 'installedOn', 'import.invalid_date'],
      [4, 'modelCode', 'import.unknown_reference'],
      [4, 'customerName', 'import.unknown_reference'],
    ]);
    expect(deviceReport.errors[3].message).toBe('型号编码：“X-1”在系统中不存在');

    const partsCsv = 'sku,name,price,serial tracked\nP-1,主板,1200.50,是\nP-2,传感器,80,no\nP-1,重复,1,否\n';
    const parts = (await upload(admin, 'part', 'parts.csv', Buffer.from(partsCsv))).json();
    expect(parts.mapping).toMatchObject({
      sku: 'sku',
      name: 'nameZh',
      price: 'unitCost',
      'serial tracked': 'serialTracked',
    });
    const partsReport = (await admin.post(`/api/v1/imports/${parts.run.id}/commit`, { mapping: parts.mapping })).json();
    expect(
      partsReport.details.errors.map((e: { row: number; field: string; code: string }) => [e.row, e.field, e.code]),
    ).toEqual([[4, 'sku', 'import.duplicate_in_file']]);
    expect(await count('parts')).toBe(0);
  });

  it('serves a data dictionary generated from the contracts, the taxonomy and the form designer, and a template that maps itself', async () => {
    await admin.post('/api/v1/forms/fields', {
      key: 'runningHours',
      labelZh: '运行小时数',
      labelEn: 'Running hours',
      kind: 'number',
      min: 0,
      required: true,
    });
    const dictionary = (await admin.get('/api/v1/data-dictionary')).json();
    const ticket = dictionary.entities.find((e: { entity: string }) => e.entity === 'ticket');
    const priority = ticket.fields.find((f: { key: string }) => f.key === 'priority');
    expect(priority.values.map((v: { value: string }) => v.value)).toEqual(['P0', 'P1', 'P2', 'P3']);
    expect(ticket.fields.find((f: { key: string }) => f.key === 'problemType').reference).toBe('faultCategory');
    const leaf = dictionary.faultCategories.find((c: { parentCode: string | null; synonyms: string[] }) =>
      c.synonyms.includes('主板坏了'),
    );
    expect(leaf.parentCode).toBe('hardware');
    expect(dictionary.customFields).toEqual([
      expect.objectContaining({
        key: 'runningHours',
        kind: 'number',
        required: true,
        label: { 'zh-CN': '运行小时数', 'en-US': 'Running hours' },
      }),
    ]);

    const template = await admin.get('/api/v1/data-dictionary/template?entity=customer', {
      'accept-language': 'en-US',
    });
    expect(template.statusCode).toBe(200);
    expect(template.headers['content-disposition']).toContain('customers-template.xlsx');
    const [header] = await readXlsx(template.rawPayload);
    expect(header).toEqual(['Customer name*', 'Unified social credit code', 'Tier', 'Province*', 'Industry*']);
    // Filled in and uploaded, every column is recognised without a saved mapping.
    const filled = await xlsx([header!, ['模板客户', '', 'VIP', '广东', 'Elevators']]);
    const up = (await upload(admin, 'customer', 'template.xlsx', filled)).json();
    expect(Object.values(up.mapping)).toEqual(['name', 'creditCode', 'tier', 'regionCode', 'industry']);
    const report = (await admin.post(`/api/v1/imports/${up.run.id}/analyse`, { mapping: up.mapping })).json();
    expect(report.errorCount).toBe(0);
  });

  it('imports custom ticket fields from their own columns, checked by the form’s rule and filterable in the KPIs', async () => {
    for (const field of [
      { key: 'downtimeLines', labelZh: '停机影响产线数', labelEn: 'Lines stopped', kind: 'number', min: 0, max: 50 },
      {
        key: 'faultLevel',
        labelZh: '故障等级',
        labelEn: 'Fault level',
        kind: 'select',
        choices: [
          { value: 'minor', labelZh: '一般', labelEn: 'Minor' },
          { value: 'major', labelZh: '严重', labelEn: 'Major' },
        ],
      },
      { key: 'tagNo', labelZh: '位号', labelEn: 'Tag number', kind: 'text', pattern: '[A-Z]{2}-\\d{3}' },
    ]) {
      const res = await admin.post('/api/v1/forms/fields', field);
      expect(res.statusCode, res.body).toBe(201);
    }
    const header = ['原工单号', '客户名称', '设备序列号', '故障标题', '问题类型', '报修时间', '解决时间', '关闭时间'];
    const row = (n: string, lines: unknown, level: unknown, tag: unknown) => [
      n,
      '华东精机有限公司',
      'SN-001',
      '产线停机',
      '主板坏了',
      '2024-05-06 08:00',
      '2024-05-06 12:00',
      '2024-05-06 13:00',
      lines,
      level,
      tag,
    ];
    const columns = [...header, '停机影响产线数', '故障等级', '位号'];
    const bad = await xlsx([columns, row('CF-1', 3, '严重', 'PL-101'), row('CF-2', 80, '很严重', 'pl101')]);
    const up = (await upload(admin, 'ticket', 'custom.xlsx', bad)).json();
    expect(up.mapping).toMatchObject({
      停机影响产线数: 'fields.downtimeLines',
      故障等级: 'fields.faultLevel',
      位号: 'fields.tagNo',
    });
    const refused = await admin.post(`/api/v1/imports/${up.run.id}/commit`, { mapping: up.mapping });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(
      refused
        .json()
        .details.errors.map((e: { row: number; field: string; column: string; code: string }) => [
          e.row,
          e.field,
          e.column,
          e.code,
        ]),
    ).toEqual([
      [3, 'fields.downtimeLines', '停机影响产线数', 'import.out_of_range'],
      [3, 'fields.faultLevel', '故障等级', 'import.invalid_enum'],
      // The pattern is the form's own rule (checkFieldValues), in the same report.
      [3, 'fields.tagNo', '位号', 'validation.field_pattern'],
    ]);
    expect(refused.json().details.errors[2].message).toBe('位号：格式不符合要求');

    const good = await xlsx([columns, row('CF-1', 3, '严重', 'PL-101'), row('CF-2', null, 'Minor', null)]);
    const fixed = (await upload(admin, 'ticket', 'custom-fixed.xlsx', good)).json();
    const done = await admin.post(`/api/v1/imports/${fixed.run.id}/commit`, { mapping: fixed.mapping });
    expect(done.statusCode, done.body).toBe(200);
    const stored = (await server.platform.db.execute(
      "select fields from tickets where title = '产线停机'" as never,
    )) as unknown as { rows: { fields: Record<string, unknown> }[] };
    expect(stored.rows).toHaveLength(2);
    expect(stored.rows.map((r) => r.fields)).toEqual(
      expect.arrayContaining([{ downtimeLines: 3, faultLevel: 'major', tagNo: 'PL-101' }, { faultLevel: 'minor' }]),
    );
    await server.platform.dispatcher.settle();
    const major = (await admin.get(`/api/v1/analytics/kpis?field=${encodeURIComponent('faultLevel=major')}`)).json();
    expect(major.closed).toBe(1);
  });
});
