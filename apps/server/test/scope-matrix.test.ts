import { DEFAULT_POLICY, type Resource, ROLES, type Role } from '@serviceloop/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantFor } from '../src/modules/identity/policy';
import { BACKENDS } from './databases';
import { type Agent, createTestServer, type TestServer } from './harness';

/**
 * Generated from the policy: for every role and every customer-owned resource, the list, its
 * count, a search and the CSV export contain exactly the records the role's data scope reaches —
 * its region, its own organisation, or everything — and never the foreign canary; fields the policy
 * hides are absent.
 */
const OWNED: { resource: Resource; path: string }[] = [
  { resource: 'customer', path: '/api/v1/customers' },
  { resource: 'contact', path: '/api/v1/contacts' },
  { resource: 'site', path: '/api/v1/sites' },
  { resource: 'device', path: '/api/v1/devices' },
  { resource: 'contract', path: '/api/v1/contracts' },
];

describe.each(BACKENDS)('data scope matrix on %s', (kind) => {
  let server: TestServer;
  const world: Record<'home' | 'canary', { customerId: string; region: string }> = {
    home: { customerId: '', region: '440000' },
    canary: { customerId: '', region: '310000' },
  };
  const agents = new Map<Role, Agent>();

  beforeAll(async () => {
    server = await createTestServer(kind);
    const admin = await server.signIn('admin');
    const model = (await admin.post('/api/v1/product-models', { code: 'M-1', name: '型号', category: 'other' })).json();
    for (const [name, place] of Object.entries(world)) {
      const customer = (
        await admin.post('/api/v1/customers', { name: `客户-${name}`, regionCode: place.region, industry: 'other' })
      ).json();
      place.customerId = customer.id;
      const city = place.region === '440000' ? '440100' : '310100';
      await admin.post('/api/v1/contacts', { customerId: customer.id, name: `联系人-${name}`, mobile: '13912345678' });
      await admin.post('/api/v1/sites', {
        customerId: customer.id,
        name: `地点-${name}`,
        provinceCode: place.region,
        cityCode: city,
        address: '一号',
      });
      await admin.post('/api/v1/contracts', {
        customerId: customer.id,
        number: `C-${name}`,
        coverage: 'full',
        slaTier: 'gold',
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        value: 1,
      });
      await admin.post('/api/v1/devices', { modelId: model.id, serialNumber: `S-${name}`, customerId: customer.id });
    }
    for (const role of ROLES) {
      agents.set(
        role,
        await server.userWith(
          role,
          role === 'customer' ? { customerId: world.home.customerId } : { regionCodes: [world.home.region] },
        ),
      );
    }
  });
  afterAll(async () => {
    await server.close();
  });

  const customerIdOf = (resource: Resource, item: Record<string, string>) =>
    resource === 'customer' ? item.id : item.customerId;

  it.each(ROLES)('%s sees exactly its scope of every customer-owned resource', async (role) => {
    const agent = agents.get(role)!;
    for (const { resource, path } of OWNED) {
      const grant = grantFor(DEFAULT_POLICY, [role], resource, 'read');
      const res = await agent.get(`${path}?pageSize=200`);
      if (!grant) {
        expect(res.statusCode, `${role} ${path}`).toBe(403);
        continue;
      }
      const expected =
        grant.scope === 'all'
          ? [world.home.customerId, world.canary.customerId]
          : grant.scope === 'region' || grant.scope === 'organisation'
            ? [world.home.customerId]
            : [];
      const page = res.json();
      const seen = page.items.map((i: Record<string, string>) => customerIdOf(resource, i)).sort();
      expect(seen, `${role} ${path}`).toEqual([...expected].sort());
      expect(page.total, `${role} ${path} count`).toBe(expected.length);
      for (const field of grant.hiddenFields) {
        for (const item of page.items) expect(item, `${role} ${path} hides ${field}`).not.toHaveProperty(field);
      }
      const search = (await agent.get(`${path}?q=canary`)).json();
      expect(search.total, `${role} ${path} search`).toBe(expected.includes(world.canary.customerId) ? 1 : 0);
      const exported = await agent.get(`${path}/export.csv`);
      if (grantFor(DEFAULT_POLICY, [role], resource, 'export')) {
        expect(exported.statusCode).toBe(200);
        expect(exported.body.includes(world.canary.customerId), `${role} ${path} export`).toBe(
          expected.includes(world.canary.customerId),
        );
      } else expect(exported.statusCode).toBe(403);
      const foreign = (await server.signIn('admin').then((a) => a.get(`${path}?pageSize=200`)))
        .json()
        .items.find((i: Record<string, string>) => customerIdOf(resource, i) === world.canary.customerId);
      const single = await agent.get(`${path}/${foreign.id}`);
      expect(single.statusCode, `${role} ${path}/:id foreign`).toBe(
        expected.includes(world.canary.customerId) ? 200 : 404,
      );
    }
  });
});
