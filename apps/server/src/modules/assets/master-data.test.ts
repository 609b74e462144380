import { withCreditCheck } from '@serviceloop/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';

describe.each(BACKENDS)('master data over HTTP on %s', (kind) => {
  let server: TestServer;
  let admin: Agent;
  let ours: { id: string };
  let canary: { id: string };
  let model: { id: string };
  let ourDevice: { id: string; version: number };

  const customer = async (name: string, regionCode: string) => {
    const res = await admin.post('/api/v1/customers', {
      name,
      regionCode,
      industry: 'elevator',
      tier: 'vip',
      creditCode: withCreditCheck('91440300MA5F00001'),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  beforeAll(async () => {
    server = await createTestServer(kind);
    admin = await server.signIn('admin');
    ours = await customer('广州天河城市广场', '440000');
    canary = (
      await admin.post('/api/v1/customers', { name: '金丝雀（不应出现）', regionCode: '310000', industry: 'other' })
    ).json();
    model = (
      await admin.post('/api/v1/product-models', { code: 'GL-3000', name: '曳引式乘客电梯', category: 'elevator' })
    ).json();
    for (const owner of [ours, canary]) {
      const site = await admin.post('/api/v1/sites', {
        customerId: owner.id,
        name: '主楼',
        provinceCode: owner === ours ? '440000' : '310000',
        cityCode: owner === ours ? '440100' : '310100',
        address: '天河路 1 号',
      });
      expect(site.statusCode, site.body).toBe(201);
      const contract = await admin.post('/api/v1/contracts', {
        customerId: owner.id,
        number: `SC-${owner.id.slice(-6)}`,
        coverage: 'full',
        slaTier: 'gold',
        startsOn: '2025-01-01',
        endsOn: '2027-12-31',
        value: 120000,
      });
      expect(contract.statusCode, contract.body).toBe(201);
      const device = await admin.post('/api/v1/devices', {
        modelId: model.id,
        serialNumber: `SN-${owner.id.slice(-8)}`,
        customerId: owner.id,
        siteId: site.json().id,
        contractId: contract.json().id,
        batch: '2024A1',
        warrantyEndsOn: '2030-01-01',
      });
      expect(device.statusCode, device.body).toBe(201);
      if (owner === ours) ourDevice = device.json();
      await admin.post('/api/v1/contacts', { customerId: owner.id, name: '周先生', mobile: '13812345678' });
    }
  });
  afterAll(async () => {
    await server.close();
  });

  it('validates credit codes, mobile numbers and divisions with field-level messages', async () => {
    const badCode = await admin.post('/api/v1/customers', {
      name: 'X 公司',
      regionCode: '440000',
      industry: 'other',
      creditCode: '91350100M000100Y44',
    });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().details).toEqual([
      expect.objectContaining({ path: 'creditCode', message: expect.stringContaining('统一社会信用代码') }),
    ]);
    const badMobile = await admin.request(
      'POST',
      '/api/v1/contacts',
      { customerId: ours.id, name: '李', mobile: '12345678901' },
      { 'accept-language': 'en-US' },
    );
    expect(badMobile.json().details).toEqual([
      expect.objectContaining({ path: 'mobile', message: 'Enter a valid mainland China mobile number' }),
    ]);
    const badCity = await admin.post('/api/v1/sites', {
      customerId: ours.id,
      name: '分部',
      provinceCode: '440000',
      cityCode: '310100',
      address: '某路',
    });
    expect(badCity.statusCode).toBe(400);
    expect(badCity.json().details[0].path).toBe('cityCode');
  });

  it('refuses duplicates, stale updates and deleting what is still referenced', async () => {
    const dup = await admin.post('/api/v1/devices', {
      modelId: model.id,
      serialNumber: `SN-${ours.id.slice(-8)}`,
      customerId: ours.id,
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().details).toEqual([{ path: 'serialNumber' }]);
    const fresh = await admin.patch(`/api/v1/devices/${ourDevice.id}`, {
      version: ourDevice.version,
      firmwareVersion: 'v2.0.1',
    });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().version).toBe(ourDevice.version + 1);
    const stale = await admin.patch(`/api/v1/devices/${ourDevice.id}`, {
      version: ourDevice.version,
      firmwareVersion: 'v9',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      code: 'resource.stale_version',
      details: { currentVersion: ourDevice.version + 1 },
    });
    expect((await admin.get(`/api/v1/devices/${ourDevice.id}`)).json().firmwareVersion).toBe('v2.0.1');
    const inUse = await admin.delete(`/api/v1/customers/${ours.id}`);
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().code).toBe('resource.in_use');
  });

  it('keeps a device’s site and contract within its customer', async () => {
    const foreignSite = (await admin.get(`/api/v1/sites?customerId=${canary.id}`)).json().items[0];
    const res = await admin.post('/api/v1/devices', {
      modelId: model.id,
      serialNumber: 'SN-MIXED',
      customerId: ours.id,
      siteId: foreignSite.id,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].path).toBe('siteId');
  });

  it('shows a customer contact only its own organisation, in lists, counts, searches and reads', async () => {
    const contact = await server.userWith('customer', { customerId: ours.id });
    for (const path of ['customers', 'devices', 'sites', 'contacts', 'contracts']) {
      const page = (await contact.get(`/api/v1/${path}?pageSize=200`)).json();
      expect(page.total, path).toBe(page.items.length);
      expect(JSON.stringify(page.items), path).not.toContain(canary.id);
      expect(page.total, path).toBeGreaterThan(0);
    }
    expect((await contact.get('/api/v1/customers?q=金丝雀')).json().total).toBe(0);
    expect((await contact.get(`/api/v1/customers/${canary.id}`)).statusCode).toBe(404);
    expect((await contact.get(`/api/v1/customers/${canary.id}/overview`)).statusCode).toBe(404);
    const contract = (await contact.get('/api/v1/contracts')).json().items[0];
    expect(contract).not.toHaveProperty('value');
    expect((await admin.get('/api/v1/contracts')).json().items[0]).toHaveProperty('value', 120000);
    expect(
      (await contact.post('/api/v1/customers', { name: 'x', regionCode: '440000', industry: 'other' })).statusCode,
    ).toBe(403);
  });

  it('finds devices by their customer’s name, narrowed by the chosen customer and the caller’s scope', async () => {
    const byName = (await admin.get(`/api/v1/devices?q=${encodeURIComponent('天河城市')}`)).json();
    expect(byName.items.map((d: { id: string }) => d.id)).toEqual([ourDevice.id]);
    const narrowed = (await admin.get(`/api/v1/devices?q=SN-&customerId=${canary.id}`)).json();
    expect(narrowed.items.map((d: { customerId: string }) => d.customerId)).toEqual([canary.id]);
    // A customer contact never finds another organisation's devices by that organisation's name.
    const contact = await server.userWith('customer', { customerId: ours.id });
    expect((await contact.get(`/api/v1/devices?q=${encodeURIComponent('金丝雀')}`)).json().total).toBe(0);
  });

  it('shows an engineer only the customers of their region, without the credit code', async () => {
    const engineer = await server.userWith('engineer', { regionCodes: ['440000'] });
    const page = (await engineer.get('/api/v1/customers')).json();
    expect(page.items.map((c: { id: string }) => c.id)).toEqual([ours.id]);
    expect(page.items[0]).not.toHaveProperty('creditCode');
    expect((await engineer.get(`/api/v1/devices/${ourDevice.id}`)).statusCode).toBe(200);
    const foreignDevices = (await engineer.get(`/api/v1/devices?customerId=${canary.id}`)).json();
    expect(foreignDevices.total).toBe(0);
    const nowhere = await server.userWith('engineer', { regionCodes: [] });
    expect((await nowhere.get('/api/v1/customers')).json().total).toBe(0);
  });

  it('exports exactly the permitted set as CSV, hidden fields left out', async () => {
    const quality = await server.userWith('quality');
    const all = await quality.get('/api/v1/customers/export.csv');
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-type']).toContain('text/csv');
    const lines = all.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]!.split(',')).not.toContain('creditCode');
    expect(lines).toHaveLength(3); // header + ours + canary
    const engineer = await server.userWith('engineer', { regionCodes: ['440000'] });
    expect((await engineer.get('/api/v1/customers/export.csv')).statusCode).toBe(403); // engineers may read, not export
    const contact = await server.userWith('customer', { customerId: ours.id });
    expect((await contact.get('/api/v1/devices/export.csv')).statusCode).toBe(403);
    const devices = await admin.get(`/api/v1/devices/export.csv?customerId=${ours.id}`);
    expect(devices.body).toContain(`SN-${ours.id.slice(-8)}`);
    expect(devices.body).not.toContain(canary.id);
  });

  it('masks mobile numbers in lists and shows them in full on a single read', async () => {
    const list = (await admin.get(`/api/v1/contacts?customerId=${ours.id}`)).json();
    expect(list.items[0].mobile).toBe('138****5678');
    expect((await admin.get(`/api/v1/contacts/${list.items[0].id}`)).json().mobile).toBe('13812345678');
  });

  it('brings everything about a customer and a device onto their 360° views', async () => {
    const overview = (await admin.get(`/api/v1/customers/${ours.id}/overview`)).json();
    expect(overview.customer.name).toBe('广州天河城市广场');
    expect(overview.counts).toEqual({ contacts: 1, sites: 1, devices: 1, contracts: 1 });
    expect(overview.devices[0]).toMatchObject({ modelName: '曳引式乘客电梯', warrantyStatus: 'in_warranty' });
    expect(overview.history.map((h: { type: string }) => h.type)).toContain('customer.created');
    const device = (await admin.get(`/api/v1/devices/${ourDevice.id}/overview`)).json();
    expect(device.customer.id).toBe(ours.id);
    expect(device.model.code).toBe('GL-3000');
    expect(device.contract.active).toBe(true);
    expect(device.history.map((h: { type: string }) => h.type)).toEqual(['device.updated', 'device.created']);
    expect(device.history[0].changes.firmwareVersion).toEqual({ from: null, to: 'v2.0.1' });
  });
});
