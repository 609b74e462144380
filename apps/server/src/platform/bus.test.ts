import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../test/harness';
import { createServer, type Server } from '../server';
import { openDatabase } from './db/client';

/** Reads a server-sent event stream until a pattern shows up (or the timeout). */
async function openStream(base: string, path: string, cookie: string) {
  const controller = new AbortController();
  const res = await fetch(`${base}${path}`, {
    headers: { accept: 'text/event-stream', cookie },
    signal: controller.signal,
  });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  let text = '';
  return {
    get text() {
      return text;
    },
    async until(pattern: RegExp, timeoutMs = 5_000) {
      const deadline = setTimeout(() => controller.abort(), timeoutMs);
      try {
        while (!pattern.test(text)) {
          const { value, done } = await reader.read();
          if (done) break;
          text += new TextDecoder().decode(value);
        }
      } catch {}
      clearTimeout(deadline);
      return pattern.test(text);
    },
    close: () => controller.abort(),
  };
}

/**
 * Two application instances on one database, as two replicas behind a load balancer: a change
 * written through A reaches the live streams (notification bell, dashboards) open on B. On
 * PostgreSQL through LISTEN/NOTIFY on separate connections; PGlite is one process, so there the
 * "replicas" are one instance and the in-process path is what is checked.
 */
describe.each(BACKENDS)('live updates across replicas on %s', (kind) => {
  let a: TestServer;
  let b: Server;
  let baseB: string;
  let agent: Agent;
  let manager: Agent;

  beforeAll(async () => {
    a = await createTestServer(kind);
    // Replica B: its own connection pool (and its own LISTEN connection) on A's database.
    const database = a.platform.database;
    b =
      kind === 'postgres'
        ? await createServer({
            config: a.platform.config,
            database: await openDatabase({ kind: 'postgres', url: database.url!, poolSize: 4 }),
            clock: a.clock,
          })
        : a;
    await b.app.listen({ port: 0, host: '127.0.0.1' });
    baseB = `http://127.0.0.1:${(b.app.server.address() as AddressInfo).port}/api/v1`;
    const admin = await a.signIn('admin');
    expect(
      (await admin.post('/api/v1/customers', { name: '上海申城物业', regionCode: '310000', industry: 'elevator' }))
        .statusCode,
    ).toBe(201);
    agent = await a.userWith('agent');
    manager = await a.userWith('manager');
    // Two application starts on a loaded machine can outlast the default minute.
  }, 180_000);
  afterAll(async () => {
    if (b !== a) await b?.close();
    await a?.close();
  });

  it('a ticket created through A rings the bell and moves the dashboard of a reader on B', async () => {
    const bell = await openStream(baseB, '/notifications/stream', agent.cookie!);
    const dashboard = await openStream(baseB, '/analytics/stream', manager.cookie!);
    expect(await bell.until(/event: unread\ndata: \{"unread":0\}/)).toBe(true);
    expect(await dashboard.until(/: connected/)).toBe(true);

    const created = await agent.post('/api/v1/tickets', {
      channel: 'phone',
      contactName: '周先生',
      contactPhone: '13812345678',
      title: '扶梯异响',
      description: '商场 2 号扶梯运行时异响，伴随抖动',
      severity: 'major',
    });
    expect(created.statusCode, created.body).toBe(201);
    const number = created.json().ticket.number;
    // Only A's dispatcher runs: B learns of the change only through the bus.
    await a.platform.dispatcher.settle();

    expect(await bell.until(/event: notification\n.*\ndata: .*\n\n/)).toBe(true);
    const pushed = JSON.parse(/event: notification\nid: .*\ndata: (.*)\n/.exec(bell.text)![1]!);
    expect(pushed).toMatchObject({ title: `新工单 ${number}：扶梯异响`, eventType: 'ticket.created', read: false });
    expect(await dashboard.until(/event: change\ndata: \{"at":"/)).toBe(true);
    bell.close();
    dashboard.close();
    // B's database agrees with what its stream said.
    const unread = await fetch(`${baseB}/notifications/unread-count`, { headers: { cookie: agent.cookie! } });
    expect(await unread.json()).toEqual({ unread: 1 });
  });

  it('keeps listening after its LISTEN connection is cut', async () => {
    if (kind !== 'postgres') {
      expect(b.platform.database.kind).toBe('pglite');
      return;
    }
    // Terminate every LISTEN session of this database: each replica reconnects by itself.
    const name = new URL(a.platform.database.url!).pathname.slice(1);
    await a.platform.database.exec(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and query ilike 'listen%'`,
    );
    const dashboard = await openStream(baseB, '/analytics/stream', manager.cookie!);
    expect(await dashboard.until(/: connected/)).toBe(true);
    // A reconnect tells open dashboards to refetch (they may have missed changes meanwhile).
    expect(await dashboard.until(/event: change/, 8_000)).toBe(true);
    dashboard.close();
    const heard: unknown[] = [];
    const stop = b.platform.bus.subscribe('sl_test_probe', (m) => heard.push(m));
    await b.platform.bus.ready();
    await a.platform.bus.publish('sl_test_probe', { n: 1 });
    await expect.poll(() => heard, { timeout: 5_000 }).toEqual([{ n: 1 }]);
    stop();
  });
});
