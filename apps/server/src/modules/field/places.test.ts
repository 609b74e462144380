import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely; the assertions pin them down.
type Json = any;
const places = (who: Agent, q: string, extra = '') => who.get(`/api/v1/places?q=${encodeURIComponent(q)}${extra}`);

describe.each(BACKENDS)('place search on %s', (kind) => {
  let server: TestServer;
  let admin: Agent;
  let agent: Agent;
  let engineer: Agent;

  beforeAll(async () => {
    server = await createTestServer(kind);
    admin = await server.signIn('admin');
    agent = await server.userWith('agent');
    engineer = await server.userWith('engineer', { regionCodes: ['320000'] });
    const customer = (
      await admin.post('/api/v1/customers', { name: '星湖精密机械', regionCode: '320000', industry: 'machine_tools' })
    ).json();
    const created = (body: Json) => expect(body.statusCode, body.body).toBe(201);
    created(
      await admin.post('/api/v1/sites', {
        customerId: customer.id,
        name: '二号厂房',
        provinceCode: '320000',
        cityCode: '320500',
        districtCode: '320571',
        address: '苏州工业园区星湖街 328 号',
        lat: 31.3051,
        lng: 120.7312,
      }),
    );
    // Never placed on a map: found at its district's seat.
    created(
      await admin.post('/api/v1/sites', {
        customerId: customer.id,
        name: '滨江仓库',
        provinceCode: '330000',
        cityCode: '330100',
        districtCode: '330108',
        address: '杭州市滨江区江南大道 100 号',
      }),
    );
    created(
      await admin.post('/api/v1/warehouses', {
        code: 'HZ',
        name: '华东备件仓（杭州）',
        kind: 'regional',
        regionCode: '330000',
      }),
    );
  });
  afterAll(async () => {
    await server.close();
  });

  it('turns a typed Chinese address into a district seat, offline', async () => {
    const res = await places(agent, '苏州市工业园区');
    expect(res.statusCode, res.body).toBe(200);
    const [best] = (res.json() as Json[]).filter((p) => p.kind === 'division');
    expect(best).toMatchObject({
      name: '工业园区',
      detail: '江苏省 苏州市 工业园区',
      regionCode: '320590',
      precision: 'district',
    });
    expect(best.lat).toBeCloseTo(31.32, 1);
    expect(best.lng).toBeCloseTo(120.72, 1);

    const binjiang = (await places(agent, '杭州 滨江')).json() as Json[];
    expect(binjiang.find((p) => p.kind === 'division')).toMatchObject({ regionCode: '330108', precision: 'district' });
  });

  it('offers the sites and warehouses already in the system first', async () => {
    const found = (await places(agent, '星湖')).json() as Json[];
    expect(found[0]).toMatchObject({
      kind: 'site',
      name: '星湖精密机械 · 二号厂房',
      precision: 'exact',
      lat: 31.3051,
      lng: 120.7312,
    });
    const unplaced = (await places(agent, '滨江仓库')).json() as Json[];
    expect(unplaced[0]).toMatchObject({ kind: 'site', precision: 'district', regionCode: '330108' });
    const warehouse = (await places(admin, '备件仓')).json() as Json[];
    expect(warehouse[0]).toMatchObject({
      kind: 'warehouse',
      name: '华东备件仓（杭州）',
      precision: 'city',
      regionCode: '330100',
    });
    // Wildcards typed by a person are letters: "%" finds nothing rather than everything.
    expect(((await places(agent, '%')).json() as Json[]).filter((p) => p.kind !== 'division')).toEqual([]);
  });

  it('shows an engineer divisions only: sites beyond their own region stay hidden', async () => {
    const res = await places(engineer, '星湖');
    expect(res.statusCode).toBe(200);
    expect((res.json() as Json[]).some((p) => p.kind === 'site')).toBe(false);
  });

  it('refuses bad input field by field, in the reader’s language', async () => {
    const empty = await agent.get('/api/v1/places?q=%20%20', { 'accept-language': 'en-US' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().details).toEqual([expect.objectContaining({ path: 'querystring.q' })]);
    expect((await agent.get('/api/v1/places')).statusCode).toBe(400);
    expect((await places(agent, '苏'.repeat(101))).statusCode).toBe(400);
    const badLimit = await places(agent, '苏州', '&limit=0');
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json().details).toEqual([expect.objectContaining({ path: 'querystring.limit' })]);
    expect((await places(agent, '苏', '&limit=3')).json()).toHaveLength(3);
  });

  it('names the tiles behind the map and their coordinate system', async () => {
    const tiles = (await agent.get('/api/v1/places/map-tiles')).json();
    expect(tiles.coordinateSystem).toBe('GCJ-02');
    expect(tiles.url === null || tiles.url.includes('{z}')).toBe(true);
    // A keeper of stock has no business with engineers' bases.
    const keeper = await server.userWith('warehouse');
    expect((await places(keeper, '苏州')).statusCode).toBe(403);
  });
});
