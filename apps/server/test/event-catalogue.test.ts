import { readFileSync, writeFileSync } from 'node:fs';
import { EVENT_CATALOGUE, EVENT_NAMES, expandEventPattern, isEventName } from '@serviceloop/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCatalogue } from '../src/platform/events/catalogue';
import { SubscriberRegistry } from '../src/platform/events/subscribers';
import { BACKENDS } from './databases';
import { ARCHITECTURE_DOC, eventTable, findEmitters, withTable } from './event-map';
import { type Agent, createTestServer, type TestServer } from './harness';
import { startReceiver } from './notify-world';
import { invitedContact, move, type PortalWorld, portalWorld, RESOLVE, SIGNATURE } from './portal-world';

/**
 * The event catalogue (packages/contracts/src/events.ts) is the whole truth about events: each
 * has an emitter, every subscription names catalogued events, the registry refuses the rest at
 * start-up, and docs/architecture.md shows the table generated from all three.
 */
describe('the event catalogue', () => {
  const noop = { handle: async () => {} };

  it('refuses at registration a name or prefix the catalogue does not know, and expands wildcards from it', () => {
    const registry = new SubscriberRegistry(eventCatalogue());
    expect(() => registry.register({ name: 'typo', types: ['ticket.closd'], ...noop })).toThrow(
      /typo: event ticket.closd is not in the event catalogue/,
    );
    expect(() => registry.register({ name: 'nothing', types: ['telemetry_v2.*'], ...noop })).toThrow(
      /no catalogued event matches telemetry_v2/,
    );
    registry.register({ name: 'quotes', types: ['quote.*'], ...noop });
    expect(registry.subscriptions()).toEqual([
      { name: 'quotes', types: ['quote.issued', 'quote.approved', 'quote.rejected', 'quote.withdrawn'] },
    ]);
    expect(registry.namesFor('quote.approved')).toEqual(['quotes']);
    expect(registry.namesFor('quotation.approved')).toEqual([]);
    expect(expandEventPattern('*')).toEqual(EVENT_NAMES);
  });

  it('refuses to write an event under a name it does not list', () => {
    const catalogue = eventCatalogue();
    expect(() => catalogue.check('ticket.exploded', {})).toThrow(/not in the event catalogue/);
    const mismatches: string[] = [];
    const reporting = eventCatalogue({ onMismatch: (type) => mismatches.push(type) });
    reporting.check('survey.answered', { surveyId: 'x', csat: 4 });
    reporting.check('survey.answered', { csat: 'great' });
    expect(mismatches).toEqual(['survey.answered']);
  });

  it('declares each event once, owned by a module, with a versioned payload and a summary', () => {
    for (const name of EVENT_NAMES) {
      const entry = EVENT_CATALOGUE[name];
      expect(name, name).toMatch(/^[a-z][A-Za-z_]*\.[a-z_]+$/);
      expect(entry.version, name).toBeGreaterThanOrEqual(1);
      expect(entry.summary.length, name).toBeGreaterThan(5);
      expect(isEventName(name)).toBe(true);
    }
  });

  it('has an emitter in the source for every catalogued event', () => {
    const silent = [...findEmitters()].filter(([, files]) => files.length === 0).map(([name]) => name);
    expect(silent, 'catalogued events that nothing emits').toEqual([]);
  });

  describe('on a running server', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await createTestServer(BACKENDS[0]!);
    }, 120_000);
    afterAll(async () => {
      await server?.close();
    });

    it('registers subscriptions that name only catalogued events, each reacting module in its reactions.ts', () => {
      const subscriptions = server.platform.subscribers.subscriptions();
      expect(subscriptions.length).toBeGreaterThanOrEqual(8);
      for (const s of subscriptions) {
        expect(s.types.length, s.name).toBeGreaterThan(0);
        for (const type of s.types) expect(isEventName(type), `${s.name} → ${type}`).toBe(true);
      }
      // The closing events reach surveys and notifications whichever way a ticket closes.
      expect(server.platform.subscribers.namesFor('ticket.closed')).toEqual(
        expect.arrayContaining(['surveys.on_close', 'notifications.fanout', 'automation.rules']),
      );
    });

    it('shows docs/architecture.md the current table event → emitter → subscribers', () => {
      const table = eventTable(findEmitters(), server.platform.subscribers.subscriptions());
      const doc = readFileSync(ARCHITECTURE_DOC, 'utf8');
      const current = withTable(doc, table);
      // `npm run docs:events` writes it.
      if (process.env.UPDATE_EVENT_DOCS === '1' && current !== doc) writeFileSync(ARCHITECTURE_DOC, current);
      else expect(doc, 'docs/architecture.md is stale: run `npm run docs:events`').toBe(current);
    });
  });
});

describe.each(BACKENDS)('events through their real paths on %s', (kind) => {
  let server: TestServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let w: PortalWorld;
  let admin: Agent;

  const ok = async (res: Promise<{ statusCode: number; body: string; json(): unknown }>, status = 200) => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(status);
    // biome-ignore lint/suspicious/noExplicitAny: responses are checked field by field.
    return r.json() as any;
  };
  const deliver = async () => {
    await server.platform.dispatcher.settle();
    await server.modules.notifications.worker.runDue();
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await createTestServer(kind);
    w = await portalWorld(server);
    admin = w.admin;
    // The receivers are local servers: allow-listed, as an admin would.
    expect((await admin.post('/api/v1/notifications/allowed-hosts', { host: '127.0.0.1' })).statusCode).toBe(204);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  it("tells a ticket.closed webhook when the customer's confirmation in the portal closes the ticket", async () => {
    const hook = await ok(
      admin.post('/api/v1/notifications/endpoints', { kind: 'webhook', name: 'ERP', url: `${receiver.base}/erp/in` }),
      201,
    );
    await ok(
      admin.post('/api/v1/notifications/subscriptions', {
        eventType: 'ticket.closed',
        recipientKind: 'endpoint',
        endpointId: hook.id,
      }),
      201,
    );
    const contact = await invitedContact(server, w);
    const reported = await ok(
      contact.post('/api/v1/tickets', {
        channel: 'portal',
        title: '主轴报警停机',
        description: '加工中心主轴突然报警停机，屏幕显示编码器故障',
        contactName: '王经理',
        contactPhone: '13912345678',
        deviceId: w.home.deviceId,
      }),
      201,
    );
    let ticket = reported.ticket;
    ticket = await move(w.agent, ticket, { action: 'triage', priority: 'P2' });
    ticket = await move(w.agent, ticket, {
      action: 'dispatch',
      engineerId: w.engineer.userId,
      plannedStart: '2030-05-06T09:00:00+08:00',
      plannedEnd: '2030-05-06T12:00:00+08:00',
    });
    const visitId = (await ok(w.agent.get(`/api/v1/tickets/${ticket.id}`))).visits[0].id;
    ticket = await move(w.agent, ticket, { action: 'check_in', visitId });
    ticket = await move(w.agent, ticket, { action: 'check_out', visitId });
    ticket = await move(w.agent, ticket, RESOLVE);
    await deliver();
    expect(receiver.at('/erp')).toHaveLength(0);

    const confirmed = await ok(
      contact.post(`/api/v1/tickets/${ticket.id}/transitions`, {
        action: 'confirm',
        version: ticket.version,
        signature: SIGNATURE,
        csat: 5,
      }),
    );
    expect(confirmed.state).toBe('closed');
    await deliver();
    const calls = receiver.at('/erp');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.json).toMatchObject({ type: 'ticket.closed', data: { ticketId: ticket.id } });

    // One meaning per event: the signature is ticket.confirmed, the close is ticket.closed, once each.
    const timeline = (await ok(w.agent.get(`/api/v1/tickets/${ticket.id}/timeline`))) as {
      type: string;
      data: Record<string, unknown>;
      changes: Record<string, { to: unknown }>;
    }[];
    const closing = timeline.filter((e) => e.type === 'ticket.confirmed' || e.type === 'ticket.closed');
    expect(closing.map((e) => e.type)).toEqual(['ticket.confirmed', 'ticket.closed']);
    expect(closing[1]).toMatchObject({
      data: { via: 'confirmation', override: false },
      changes: { state: { to: 'closed' } },
    });
    // The survey follows the close, once.
    expect(timeline.filter((e) => e.type === 'survey.created')).toHaveLength(1);
  });

  it('records a device alarm posted to the API as telemetry.alert, which an automation rule acts on', async () => {
    const robot = await ok(
      admin.post('/api/v1/notifications/endpoints', {
        kind: 'wecom',
        name: '设备告警群',
        url: `${receiver.base}/wecom/send?key=ALERTS`,
      }),
      201,
    );
    const rule = await ok(
      admin.post('/api/v1/automation/rules', {
        name: '设备告警通知',
        trigger: { type: 'telemetry.alert' },
        conditions: { field: 'event.severity', op: 'eq', value: 'critical' },
        actions: [
          {
            type: 'notify',
            recipients: [{ kind: 'endpoint', endpointId: robot.id }],
            title: '设备告警 {{serialNumber}}',
            body: '{{code}} {{message}}，请跟进',
          },
        ],
      }),
      201,
    );
    // A warning does not match the rule's condition; the critical alarm does.
    await ok(
      admin.post(`/api/v1/devices/${w.home.deviceId}/alerts`, { code: 'W03', message: '门机开关门次数偏高' }),
      202,
    );
    const alert = { code: 'E21', message: '门机过载保护动作', severity: 'critical' };
    const accepted = await ok(admin.post(`/api/v1/devices/${w.home.deviceId}/alerts`, alert), 202);
    expect(accepted.eventId).toMatch(/^[0-9a-f-]{36}$/);
    await deliver();
    const runs = (await ok(admin.get(`/api/v1/automation/rules/${rule.id}/runs`))).items;
    expect(runs.map((r: { matched: boolean }) => r.matched).sort()).toEqual([false, true]);
    const messages = receiver.at('/wecom');
    expect(messages).toHaveLength(1);
    expect(JSON.stringify(messages[0]!.json)).toContain('E21 门机过载保护动作，请跟进');

    const alerts = (await server.platform.events.forEntity(server.platform.db, 'device', w.home.deviceId)).filter(
      (e) => e.type === 'telemetry.alert',
    );
    expect(alerts.map((a) => a.data.severity)).toEqual(['warning', 'critical']);
    expect(alerts[1]!.data).toMatchObject({ deviceId: w.home.deviceId, serialNumber: 'SN-home', ...alert });

    // Bad input is refused field by field; an unknown or unreachable device is not found.
    const bad = await admin.post(`/api/v1/devices/${w.home.deviceId}/alerts`, { code: '', severity: 'fatal', x: 1 });
    expect(bad.statusCode).toBe(400);
    const missing = await admin.post('/api/v1/devices/01900000-0000-7000-8000-000000000000/alerts', alert);
    expect(missing.statusCode).toBe(404);
    const stranger = await server.userWith('customer', { customerId: w.away.customerId });
    expect((await stranger.post(`/api/v1/devices/${w.home.deviceId}/alerts`, alert)).statusCode).toBe(403);
  });
});
