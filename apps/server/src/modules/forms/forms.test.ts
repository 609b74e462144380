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
});
