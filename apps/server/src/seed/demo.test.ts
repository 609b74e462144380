import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../test/databases';
import { createTestServer, type TestServer } from '../../test/harness';
import { rows } from '../platform/db/client';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoOnce } from './demo';

const HOUR = 3_600_000;
/** Not today: the demo must follow the clock it is given, never the machine's. */
const NOW = new Date('2026-11-18T10:30:00+08:00');

describe.each(BACKENDS)('demo data on first start on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(kind);
    server.clock.set(NOW);
  });
  afterAll(async () => {
    await server.close();
  });

  const count = async () =>
    (
      await rows<Record<string, number>>(
        server.platform.db,
        sql`select (select count(*)::int from tickets) as tickets,
                   (select count(*)::int from devices) as devices,
                   (select count(*)::int from teams) as teams,
                   (select count(*)::int from engineer_profiles where home_lat is not null) as profiles,
                   (select count(*)::int from sites where lat is not null) as "sitesOnMap",
                   (select count(*)::int from parts) as parts,
                   (select count(*)::int from warehouses where kind = 'van') as vans,
                   (select count(distinct warehouse_id)::int from stock_balances where on_hand > 0) as "stockedWarehouses",
                   (select count(*)::int from requisitions where state = 'pending') as "pendingRequisitions",
                   (select count(*)::int from requisitions where state = 'consumed') as "consumedRequisitions",
                   (select count(*)::int from automation_rules where enabled) as "enabledRules",
                   (select count(*)::int from automation_rules where not enabled) as "disabledRules",
                   (select count(*)::int from notification_subscriptions where event_type = 'ticket.reopened') as subscriptions,
                   (select count(*)::int from dashboards where shared_roles <> '{}') as "sharedDashboards",
                   (select count(*)::int from portal_faqs where active) as faqs,
                   (select count(*)::int from sla_policies) as "slaPolicies",
                   (select count(*)::int from api_tokens where revoked_at is null) as "liveTokens"`,
      )
    )[0]!;

  it('lets every role try every feature at once, with history up to the seeding clock', async () => {
    expect(await seedDemoOnce(server, { now: NOW })).toHaveLength(DEMO_ACCOUNTS.length);
    const first = await count();
    expect(first).toMatchObject({
      teams: 4,
      profiles: 4,
      sitesOnMap: 12,
      parts: 9,
      vans: 4,
      stockedWarehouses: 7,
      pendingRequisitions: 1,
      consumedRequisitions: 1,
      enabledRules: 4,
      disabledRules: 1,
      subscriptions: 1,
      sharedDashboards: 2,
      faqs: 5,
      liveTokens: 0,
    });
    expect(first.tickets).toBeGreaterThanOrEqual(1_200);
    expect(first.devices).toBeGreaterThanOrEqual(50);
    expect(first.slaPolicies).toBeGreaterThan(0);

    // Every lifecycle state is there today; SLA at risk and breached among the open ones.
    const states = await rows<{ state: string }>(
      server.platform.db,
      sql`select distinct state from tickets where reported_at > ${new Date(NOW.getTime() - 4 * 24 * HOUR).toISOString()}::timestamptz`,
    );
    expect(states.map((s) => s.state).sort()).toEqual(
      [
        'awaiting_confirmation',
        'cancelled',
        'closed',
        'dispatched',
        'new',
        'on_site',
        'remote_support',
        'resolved',
        'suspended',
        'triaged',
      ].sort(),
    );
    const [sla] = await rows<{ warned: number; breached: number }>(
      server.platform.db,
      sql`select count(*) filter (where c.warned_at is not null and c.breached_at is null)::int as warned,
                 count(*) filter (where c.breached_at is not null)::int as breached
          from sla_clocks c join tickets t on t.id = c.ticket_id
          where c.stopped_at is null and c.met_at is null and t.state not in ('closed', 'cancelled')`,
    );
    expect(sla!.warned).toBeGreaterThan(0);
    expect(sla!.breached).toBeGreaterThan(0);

    // The closed demo ticket carries the customer's signature, CSAT and NPS.
    const [rated] = await rows<{ signed: boolean; csat: number; nps: number }>(
      server.platform.db,
      sql`select t.confirmation->>'signature' like 'data:image/png;base64,%' as signed, t.csat, s.nps
          from tickets t join surveys s on s.ticket_id = t.id
          where t.state = 'closed' and s.nps is not null`,
    );
    expect(rated).toEqual({ signed: true, csat: 5, nps: 9 });

    // History runs up to the seeding clock: closed in its last days, never after it.
    const [history] = await rows<{ latest: string; reported: string; future: number }>(
      server.platform.db,
      sql`select max(closed_at)::text as latest, max(reported_at)::text as reported,
                 (select count(*)::int from events where entity_type = 'ticket' and occurred_at > ${NOW.toISOString()}::timestamptz) as future
          from tickets where contact_name = '历史联系人'`,
    );
    expect(Date.parse(history!.latest)).toBeLessThanOrEqual(NOW.getTime());
    expect(Date.parse(history!.latest)).toBeGreaterThan(NOW.getTime() - 3 * 24 * HOUR);
    expect(Date.parse(history!.reported)).toBeGreaterThan(NOW.getTime() - 14 * 24 * HOUR);
    expect(history!.future).toBe(0);

    // The engineer's day, the dispatcher's board and suggestions, the manager's month.
    const engineer = await server.signIn('engineer', DEMO_PASSWORD);
    const jobs = (await engineer.get('/api/v1/field/jobs')).json();
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    const agent = await server.signIn('agent', DEMO_PASSWORD);
    const board = (await agent.get('/api/v1/dispatch/board?date=2026-11-18')).json();
    expect(board.engineers).toHaveLength(4);
    expect(board.visits.length).toBeGreaterThanOrEqual(3);
    expect(board.unassigned.length).toBeGreaterThanOrEqual(2);
    const suggestions = (
      await agent.get(`/api/v1/tickets/${board.unassigned[0].ticketId}/assignment-suggestions?date=2026-11-18`)
    ).json();
    expect(suggestions.suggestions.length).toBeGreaterThan(0);
    const manager = await server.signIn('manager', DEMO_PASSWORD);
    const month = (
      await manager.get(
        `/api/v1/analytics/kpis?from=${encodeURIComponent('2026-11-01T00:00:00+08:00')}&to=${encodeURIComponent(NOW.toISOString())}`,
      )
    ).json();
    expect(month.created).toBeGreaterThan(20);
    expect(month.closed).toBeGreaterThan(20);
    expect(month.csat.mean).toBeGreaterThan(0);
    expect((await manager.get('/api/v1/analytics/dashboards')).json()).toHaveLength(2);
    // Each role finds the dashboard shared with it.
    expect((await agent.get('/api/v1/analytics/dashboards')).json()).toHaveLength(1);

    expect(await seedDemoOnce(server)).toBeNull();
    expect(await count()).toEqual(first);
    const contact = await server.signIn('customer', DEMO_PASSWORD);
    const own = (await contact.get('/api/v1/tickets?pageSize=5')).json();
    expect(own.total).toBeGreaterThan(0);
    expect(new Set(own.items.map((t: { customerId: string }) => t.customerId))).toEqual(
      new Set([own.items[0].customerId]),
    );
    const awaiting = (await contact.get('/api/v1/tickets?state=awaiting_confirmation')).json();
    expect(awaiting.total).toBe(1);
    expect(
      (await contact.get(`/api/v1/faqs/suggest?text=${encodeURIComponent('电梯困人了怎么办')}`)).json().length,
    ).toBeGreaterThan(0);
  }, 180_000);
});
