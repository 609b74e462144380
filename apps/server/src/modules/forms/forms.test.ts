import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';

describe.each(BACKENDS)('custom fields on %s', (kind) => {
  let server: TestServer;
  let admin: Agent;
  let agent: Agent;
  const report = (fields: Record<string, unknown>) =>
    agent.post(
      '/api/v1/tickets',
      {
        channel: 'phone',
        contactName: '周先生',
        contactPhone: '13812345678',
        title: '主轴报警',
        description: '主轴报警停机，错误代码 E35，无法复位',
        severity: 'major',
        fields,
      },
      { 'accept-language': 'en-US' },
    );

  beforeAll(async () => {
    server = await createTestServer(kind);
    admin = await server.signIn('admin');
    agent = await server.userWith('agent');
  });
  afterAll(async () => {
    await server.close();
  });

  it('lets an administrator add fields that every new report must then satisfy', async () => {
    const hours = await admin.post('/api/v1/forms/fields', {
      key: 'runningHours',
      labelZh: '累计运行小时',
      labelEn: 'Running hours',
      kind: 'number',
      required: true,
      min: 0,
    });
    expect(hours.statusCode, hours.body).toBe(201);
    const shift = await admin.post('/api/v1/forms/fields', {
      key: 'shift',
      labelZh: '班次',
      labelEn: 'Shift',
      kind: 'select',
      choices: [
        { value: 'day', labelZh: '白班', labelEn: 'Day' },
        { value: 'night', labelZh: '夜班', labelEn: 'Night' },
      ],
      position: 1,
    });
    expect(shift.statusCode).toBe(201);
    const again = { key: 'runningHours', labelZh: '重复', labelEn: 'Again', kind: 'text' };
    expect((await admin.post('/api/v1/forms/fields', again)).statusCode).toBe(409);
    expect(
      (await agent.post('/api/v1/forms/fields', { key: 'x1', labelZh: 'x', labelEn: 'x', kind: 'text' })).statusCode,
    ).toBe(403);

    const refused = await report({ shift: 'evening' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details.map((d: { path: string; message: string }) => [d.path, d.message])).toEqual([
      ['fields.runningHours', 'Required'],
      ['fields.shift', 'Choose one of the options'],
    ]);
    const accepted = await report({ runningHours: 1200, shift: 'night' });
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json().ticket.fields).toEqual({ runningHours: 1200, shift: 'night' });
    const listed = (await agent.get('/api/v1/tickets?field=shift=night')).json();
    expect(listed.items.map((t: { id: string }) => t.id)).toEqual([accepted.json().ticket.id]);
    expect((await agent.get('/api/v1/tickets?field=runningHours=1200')).json().total).toBe(1);

    // Retiring a field never breaks the tickets that carry it; new reports no longer need it.
    const retired = await admin.patch(`/api/v1/forms/fields/${hours.json().id}`, { version: 1, active: false });
    expect(retired.json()).toMatchObject({ active: false, version: 2 });
    expect((await report({ shift: 'day' })).statusCode).toBe(201);
    expect((await agent.get(`/api/v1/tickets/${accepted.json().ticket.id}`)).json().fields.runningHours).toBe(1200);
    const stale = await admin.patch(`/api/v1/forms/fields/${hours.json().id}`, { version: 1, active: true });
    expect(stale.statusCode).toBe(409);
    const badPattern = await admin.patch(`/api/v1/forms/fields/${shift.json().id}`, { version: 1, pattern: '([' });
    expect(badPattern.statusCode).toBe(400);
    expect(badPattern.json().details[0].path).toBe('pattern');
    expect((await agent.get('/api/v1/forms/fields')).json().map((f: { key: string }) => f.key)).toEqual([
      'runningHours',
      'shift',
    ]);
  });

  it('takes attachments, a location, a signature and references, checked against what exists', async () => {
    const customer = (
      await admin.post('/api/v1/customers', { name: '字段引用客户', regionCode: '310000', industry: 'other' })
    ).json();
    const add = (field: Record<string, unknown>) => admin.post('/api/v1/forms/fields', field);
    const noTarget = await add({ key: 'owner', labelZh: '客户', labelEn: 'Customer', kind: 'reference' });
    expect(noTarget.statusCode).toBe(400);
    expect(noTarget.json().details[0].path).toBe('reference');
    for (const field of [
      { key: 'owner', labelZh: '客户', labelEn: 'Customer', kind: 'reference', reference: 'customer' },
      { key: 'machine', labelZh: '设备', labelEn: 'Device', kind: 'reference', reference: 'device' },
      { key: 'photos', labelZh: '现场照片', labelEn: 'Photos', kind: 'attachment', max: 2 },
      { key: 'site', labelZh: '现场位置', labelEn: 'Site', kind: 'location' },
      { key: 'sign', labelZh: '报修人签名', labelEn: 'Signature', kind: 'signature' },
    ])
      expect((await add(field)).statusCode).toBe(201);

    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#08f' } })
      .png()
      .toBuffer();
    const upload = async (who: Agent) => {
      const boundary = `----serviceloop${Math.random().toString(16).slice(2)}`;
      const payload = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="site.png"\r\nContent-Type: image/png\r\n\r\n`,
        ),
        png,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await who.request('POST', '/api/v1/attachments', payload, {
        'content-type': `multipart/form-data; boundary=${boundary}`,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const mine = await upload(agent);
    const someoneElses = await upload(admin);
    // Unclaimed uploads are their uploader's alone.
    expect((await agent.get(`/api/v1/attachments/${someoneElses}/content`)).statusCode).toBe(404);
    expect((await agent.get(`/api/v1/attachments/${mine}/content`)).statusCode).toBe(200);

    const signature = `data:image/png;base64,${png.toString('base64')}`;
    const base = { shift: 'day' };
    const shapeRefused = await report({
      ...base,
      owner: 'nobody',
      photos: [mine, mine, mine],
      site: { lat: 91, lng: 121.5 },
      sign: 'data:image/jpeg;base64,AAAA',
    });
    expect(shapeRefused.json().details.map((d: { path: string; message: string }) => [d.path, d.message])).toEqual([
      ['fields.owner', 'Wrong format'],
      ['fields.photos', 'At most 2 files'],
      ['fields.sign', 'The signature must be a PNG image'],
      ['fields.site', expect.stringContaining('latitude')],
    ]);
    const missing = await report({
      ...base,
      owner: customer.id,
      machine: '00000000-0000-4000-8000-000000000000',
      photos: [mine, someoneElses],
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details.map((d: { path: string }) => d.path)).toEqual(['fields.machine', 'fields.photos']);

    const values = {
      ...base,
      owner: customer.id,
      photos: [mine],
      site: { lat: 31.2304, lng: 121.4737, address: '上海市浦东新区' },
      sign: signature,
    };
    const created = await report(values);
    expect(created.statusCode, created.body).toBe(201);
    const ticketId = created.json().ticket.id;
    expect(created.json().ticket.fields).toEqual(values);
    // The upload now belongs to the ticket, and no second report can claim it.
    const files = (await agent.get(`/api/v1/tickets/${ticketId}/attachments`)).json();
    expect(files.map((f: { id: string }) => f.id)).toEqual([mine]);
    expect((await report({ ...base, photos: [mine] })).statusCode).toBe(400);
    // References filter the ticket list by the id they hold.
    const byOwner = (await agent.get(`/api/v1/tickets?field=owner=${customer.id}`)).json();
    expect(byOwner.items.map((t: { id: string }) => t.id)).toEqual([ticketId]);

    // Changing the form never breaks the old ticket: a field changes kind, another is retired.
    const defs = (await admin.get('/api/v1/forms/fields')).json() as { id: string; key: string; version: number }[];
    const byKey = Object.fromEntries(defs.map((d) => [d.key, d]));
    const changed = await admin.patch(`/api/v1/forms/fields/${byKey.site!.id}`, {
      version: byKey.site!.version,
      kind: 'text',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const retired = await admin.patch(`/api/v1/forms/fields/${byKey.owner!.id}`, {
      version: byKey.owner!.version,
      active: false,
    });
    expect(retired.statusCode).toBe(200);
    const old = await agent.get(`/api/v1/tickets/${ticketId}`);
    expect(old.statusCode).toBe(200);
    expect(old.json().fields).toEqual(values);
    expect((await agent.get(`/api/v1/tickets?field=owner=${customer.id}`)).json().total).toBe(1);
  });
});
