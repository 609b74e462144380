import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';

type Hit = { id: string; title: string; subtitle: string | null; matched: string };
type Result = Partial<Record<'tickets' | 'customers' | 'contacts' | 'devices', Hit[]>>;

describe.each(BACKENDS)('global search on %s', (kind) => {
  let server: TestServer;
  let admin: Agent;
  let shanghai: { id: string };
  let beijing: { id: string };
  let ticket: { id: string; number: string };
  let beijingTicket: { id: string; number: string };

  const search = async (who: Agent, q: string) => {
    const res = await who.get(`/api/v1/search?q=${encodeURIComponent(q)}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Result;
  };
  const titles = (hits: Hit[] | undefined) => (hits ?? []).map((h) => h.title);

  beforeAll(async () => {
    server = await createTestServer(kind);
    admin = await server.signIn('admin');
    const create = async (path: string, body: Record<string, unknown>) => {
      const res = await admin.post(`/api/v1/${path}`, body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };
    shanghai = await create('customers', { name: '上海申城物业', regionCode: '310000', industry: 'elevator' });
    beijing = await create('customers', { name: '北京地铁运营', regionCode: '110000', industry: 'other' });
    await create('contacts', { customerId: shanghai.id, name: '张晓明', mobile: '13912340001' });
    await create('contacts', { customerId: beijing.id, name: '李冬梅', mobile: '13912340002' });
    const model = await create('product-models', { code: 'GL-3000', name: '乘客电梯', category: 'elevator' });
    await create('devices', {
      modelId: model.id,
      serialNumber: 'SH-SN-0001',
      assetCode: 'ZC-7788',
      customerId: shanghai.id,
    });
    await create('devices', { modelId: model.id, serialNumber: 'BJ-SN-0001', customerId: beijing.id });
    const report = (customerId: string, contactPhone: string) => ({
      channel: 'phone',
      customerId,
      contactName: '张晓明',
      contactPhone,
      title: '电梯困人',
      description: '3 号梯停在 5 楼与 6 楼之间，轿厢内有人，显示故障码 E35',
      severity: 'critical',
    });
    ticket = (await create('tickets', report(shanghai.id, '13700005566'))).ticket;
    beijingTicket = (await create('tickets', report(beijing.id, '13700009911'))).ticket;
  });
  afterAll(() => server?.close());

  it('finds customers and contacts by pinyin initials and by full pinyin', async () => {
    const initials = await search(admin, 'shsc');
    expect(initials.customers).toEqual([expect.objectContaining({ title: '上海申城物业', matched: 'initials' })]);
    const full = await search(admin, 'shencheng');
    expect(full.customers).toEqual([expect.objectContaining({ title: '上海申城物业', matched: 'pinyin' })]);
    const contact = await search(admin, 'zhangxiao');
    expect(contact.contacts).toEqual([
      expect.objectContaining({
        title: '张晓明',
        subtitle: '上海申城物业',
        customerId: shanghai.id,
        matched: 'pinyin',
      }),
    ]);
    expect(titles((await search(admin, 'zxm')).contacts)).toEqual(['张晓明']);
    // Characters still match as text.
    expect((await search(admin, '申城')).customers).toEqual([expect.objectContaining({ matched: 'text' })]);
  });

  it('finds tickets by number and by the last digits of the contact phone, devices by serial and asset code', async () => {
    expect((await search(admin, ticket.number)).tickets?.map((h) => h.id)).toEqual([ticket.id]);
    const phone = await search(admin, '5566');
    expect(phone.tickets?.map((h) => h.id)).toEqual([ticket.id]);
    expect(titles((await search(admin, 'SH-SN')).devices)).toEqual(['SH-SN-0001 · ZC-7788']);
    expect((await search(admin, 'zc-7788')).devices?.[0]?.subtitle).toBe('上海申城物业');
    expect(titles((await search(admin, '0001')).contacts)).toEqual(['张晓明']);
  });

  it('keeps to the caller’s data scope, resource by resource', async () => {
    // An engineer in Shanghai reads that region's master data, and only tickets assigned to them.
    const engineer = await server.userWith('engineer', { regionCodes: ['310000'] });
    const seen = await search(engineer, 'sn-0001');
    expect(titles(seen.devices)).toEqual(['SH-SN-0001 · ZC-7788']);
    expect((await search(engineer, 'bjdt')).customers).toEqual([]);
    expect((await search(engineer, 'shsc')).customers).toHaveLength(1);
    expect((await search(engineer, ticket.number)).tickets).toEqual([]);
    // A customer contact finds its own organisation's records and tickets only.
    const contact = await server.userWith('customer', { customerId: beijing.id });
    expect((await search(contact, 'zxm')).contacts).toEqual([]);
    expect(titles((await search(contact, 'zxm')).contacts)).toEqual([]);
    expect(titles((await search(contact, 'lidong')).contacts)).toEqual(['李冬梅']);
    expect((await search(contact, ticket.number)).tickets).toEqual([]);
    expect((await search(contact, beijingTicket.number)).tickets?.map((h) => h.id)).toEqual([beijingTicket.id]);
    // The warehouse reads devices but no customers or tickets: those groups are absent, not empty.
    const warehouse = await server.userWith('warehouse');
    const stock = await search(warehouse, 'SH');
    expect(Object.keys(stock).sort()).toEqual(['devices']);
  });

  it('refuses an empty or overlong query with a field-level 400', async () => {
    const empty = await admin.get('/api/v1/search?q=%20', { 'accept-language': 'en-US' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().details[0].path).toBe('querystring.q');
    expect((await admin.get(`/api/v1/search?q=${'x'.repeat(101)}`)).statusCode).toBe(400);
    expect((await server.anonymous.get('/api/v1/search?q=abc')).statusCode).toBe(401);
  });
});
