import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../test/databases';
import { createTestServer, type TestServer } from '../../test/harness';
import { rows } from '../platform/db/client';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoOnce } from './demo';

describe.each(BACKENDS)('demo data on first start on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(kind);
  });
  afterAll(async () => {
    await server.close();
  });

  it('creates accounts, master data and ticket history once, and nothing the second time', async () => {
    expect(await seedDemoOnce(server.platform, server.modules)).toHaveLength(DEMO_ACCOUNTS.length);
    const count = async () =>
      (
        await rows<{ tickets: number; devices: number }>(
          server.platform.db,
          sql`select (select count(*)::int from tickets) as tickets, (select count(*)::int from devices) as devices`,
        )
      )[0]!;
    const first = await count();
    expect(first.tickets).toBeGreaterThanOrEqual(1_000);
    expect(first.devices).toBeGreaterThanOrEqual(50);
    expect(await seedDemoOnce(server.platform, server.modules)).toBeNull();
    expect(await count()).toEqual(first);
    const contact = await server.signIn('customer', DEMO_PASSWORD);
    const own = (await contact.get('/api/v1/tickets?pageSize=5')).json();
    expect(own.total).toBeGreaterThan(0);
    expect(new Set(own.items.map((t: { customerId: string }) => t.customerId))).toEqual(
      new Set([own.items[0].customerId]),
    );
  });
});
