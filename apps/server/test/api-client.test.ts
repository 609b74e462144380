import { type ApiClient, type components, createApiClient } from '@serviceloop/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './databases';
import { createTestServer, TEST_PASSWORD, type TestServer } from './harness';

/**
 * An integration's journey through the client generated from docs/openapi.json, over a real
 * connection: what compiles here is what the document promises, and each answer proves it true.
 */
describe.each(BACKENDS)('the generated API client on %s', (kind) => {
  let server: TestServer;
  let baseUrl: string;

  beforeAll(async () => {
    server = await createTestServer(kind);
    baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server.close();
  });

  /** Signs in as the administrator and issues an API token, both through the client. */
  async function tokenClient(): Promise<ApiClient> {
    const anonymous = createApiClient({ baseUrl });
    const login = await anonymous.POST('/api/v1/auth/login', { body: { username: 'admin', password: TEST_PASSWORD } });
    expect(login.response.status).toBe(200);
    const cookie = login.response.headers
      .getSetCookie()
      .find((c) => c.startsWith('sl_session='))!
      .split(';')[0]!;
    const session = createApiClient({ baseUrl, headers: { cookie, 'x-csrf-token': login.data!.csrfToken } });
    const issued = await session.POST('/api/v1/tokens', {
      body: {
        name: 'ERP sync',
        scopes: ['customer:read', 'customer:write', 'ticket:read', 'ticket:write'],
        expiresInDays: 1,
      },
    });
    expect(issued.response.status, JSON.stringify(issued.error)).toBe(201);
    return createApiClient({ baseUrl, headers: { authorization: `Bearer ${issued.data!.token}` } });
  }

  it('creates a customer, reports and triages a ticket, patches and reads them back with a token', async () => {
    const api = await tokenClient();

    const created = await api.POST('/api/v1/customers', {
      body: { name: '宁波港机械有限公司', regionCode: '330000', industry: 'machine_tools' },
    });
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    const customer = created.data!;

    const reported = await api.POST('/api/v1/tickets', {
      body: {
        channel: 'phone',
        customerId: customer.id,
        contactName: '周先生',
        contactPhone: '13812345678',
        title: '立式加工中心主轴异响',
        description: '主轴高速运转时有异响，伴随振动',
        severity: 'major',
      },
    });
    expect(reported.response.status, JSON.stringify(reported.error)).toBe(201);
    const ticket = reported.data!.ticket;
    expect(ticket.customerId).toBe(customer.id);

    const triaged = await api.POST('/api/v1/tickets/{id}/transitions', {
      params: { path: { id: ticket.id } },
      body: { action: 'triage', version: ticket.version, priority: 'P1' },
    });
    expect(triaged.response.status, JSON.stringify(triaged.error)).toBe(200);

    const patched = await api.PATCH('/api/v1/customers/{id}', {
      params: { path: { id: customer.id } },
      body: { tier: 'vip', version: customer.version },
    });
    expect(patched.response.status, JSON.stringify(patched.error)).toBe(200);

    const [readTicket, readCustomer] = await Promise.all([
      api.GET('/api/v1/tickets/{id}', { params: { path: { id: ticket.id } } }),
      api.GET('/api/v1/customers/{id}', { params: { path: { id: customer.id } } }),
    ]);
    // Read through the typed fields: a field the document does not promise would not compile.
    const [t, c] = [readTicket.data!, readCustomer.data!];
    expect([t.id, t.state, t.priority, t.customerName]).toEqual([ticket.id, 'triaged', 'P1', '宁波港机械有限公司']);
    expect([c.name, c.tier, c.version]).toEqual(['宁波港机械有限公司', 'vip', customer.version + 1]);

    // The PATCH was based on a version that is now stale: the document's 409, typed as an Error.
    const stale = await api.PATCH('/api/v1/customers/{id}', {
      params: { path: { id: customer.id } },
      body: { tier: 'standard', version: customer.version },
    });
    expect(stale.response.status).toBe(409);
    expect(stale.error?.code).toBe('resource.stale_version');
  });

  it('gets a 400 naming each bad field of a body, as the document describes it', async () => {
    const api = await tokenClient();
    const bad = await api.POST('/api/v1/customers', {
      // A typo'd field and a malformed region code: what a hand-written integration sends.
      body: { name: '杭州精工', regionCode: 'hangzhou', industry: 'machine_tools', tire: 'vip' } as never,
      headers: { 'accept-language': 'en-US' },
    });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.code).toBe('validation.failed');
    // The error is typed as any of the operation's failures; the document says a 400 is this one.
    const details = (bad.error as components['schemas']['ValidationError']).details ?? [];
    expect(details.map((d) => d.path).sort()).toEqual(['regionCode', 'tire']);
    expect(details.every((d) => d.message.length > 0 && /[a-z]/i.test(d.message))).toBe(true);
  });
});
