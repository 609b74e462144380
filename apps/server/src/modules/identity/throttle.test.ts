import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { createTestServer, TEST_PASSWORD, type TestServer } from '../../../test/harness';
import { ADDRESS_LIMIT, addressKey, FREE_FAILURES, waitAfter } from './throttle';

describe('the wait after each failure of an account from one address', () => {
  it('costs nothing for the first mistakes, then doubles from a minute up to fifteen', () => {
    const minutes = (failures: number, free = FREE_FAILURES) => waitAfter(failures, free) / 60_000;
    expect([1, 2, 3, 4].map((n) => minutes(n))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9, 10, 50].map((n) => minutes(n))).toEqual([1, 2, 4, 8, 15, 15, 15]);
    // An address spraying many accounts has no free mistakes.
    expect([1, 2, 3].map((n) => minutes(n, 1))).toEqual([1, 2, 4]);
  });
});

describe('the address a throttle counts', () => {
  it('is an IPv4 address itself, however the socket spells it, and an IPv6 address by its /64', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('2001:db8:1:2::a')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:3::a')).toBe('2001:db8:1:3::/64');
  });
});

/**
 * Login throttling over HTTP: an attacker is slowed without denying the owner, colleagues behind
 * the same NAT, or anyone once an administrator unlocks. Addresses are the connection's own (or a
 * trusted proxy's X-Forwarded-For), set per request.
 */
describe.each(BACKENDS)('login throttling on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(kind, { TRUSTED_PROXIES: '10.0.0.0/8' });
  });
  afterAll(async () => {
    await server.close();
  });

  const login = (username: string, password: string, from: string, headers: Record<string, string> = {}) =>
    server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password },
      remoteAddress: from,
      headers,
    });
  const failTimes = async (times: number, username: string, from: string, headers: Record<string, string> = {}) => {
    for (let i = 0; i < times; i++) {
      const res = await login(username, `Wrong-Guess-${i}`, from, headers);
      expect(res.statusCode, res.body).toBe(401);
    }
  };
  // Signed in afresh where needed: the tests move the clock past the idle timeout.
  const audit = async (type: string, entityId: string) => {
    const admin = await server.signIn('admin');
    const page = await admin.get(`/api/v1/audit?type=${type}&entityId=${entityId}&pageSize=100`);
    return page.json().items as { data: Record<string, unknown> }[];
  };

  it('slows an attacker with growing waits while the owner signs in from elsewhere', async () => {
    await server.userWith('agent', { username: 'owner-1' });
    const attacker = '203.0.113.66';
    await failTimes(FREE_FAILURES, 'owner-1', attacker);
    const refused = await login('owner-1', 'Wrong-Guess-again', attacker);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.json()).toMatchObject({ code: 'auth.throttled', message: '尝试次数过多，请 60 秒后再试' });
    const english = await login('owner-1', 'Wrong-Guess-again', attacker, { 'accept-language': 'en-US' });
    expect(english.json().message).toBe('Too many attempts; try again in 60 seconds');
    // Even the right password waits at that address: a guesser learns nothing while waiting.
    expect((await login('owner-1', TEST_PASSWORD, attacker)).statusCode).toBe(429);
    // The owner, elsewhere, is not refused.
    expect((await login('owner-1', TEST_PASSWORD, '198.51.100.7')).statusCode).toBe(200);

    // Each further failure doubles the wait.
    for (const seconds of [120, 240, 480, 900, 900]) {
      server.clock.advance(16 * 60_000);
      await failTimes(1, 'owner-1', attacker);
      const waiting = await login('owner-1', TEST_PASSWORD, attacker);
      expect(waiting.statusCode).toBe(429);
      expect(waiting.headers['retry-after']).toBe(String(seconds));
    }
    expect((await login('owner-1', TEST_PASSWORD, '198.51.100.7')).statusCode).toBe(200);
  });

  it('counts an IPv6 network as one address, so taking turns through a /64 does not help', async () => {
    await server.userWith('agent', { username: 'owner-6' });
    for (let i = 0; i < FREE_FAILURES; i++) await failTimes(1, 'owner-6', `2001:db8:66:1::${i + 1}`);
    expect((await login('owner-6', TEST_PASSWORD, '2001:db8:66:1::99')).statusCode).toBe(429);
    expect((await login('owner-6', TEST_PASSWORD, '2001:db8:66:2::1')).statusCode).toBe(200);
  });

  it('tells the owner in their inbox, once per run of failures, in their language', async () => {
    const owner = await server.userWith('engineer', { username: 'owner-2' });
    await failTimes(FREE_FAILURES, 'owner-2', '203.0.113.80');
    server.clock.advance(2 * 60_000);
    await failTimes(1, 'owner-2', '203.0.113.80');
    await server.platform.dispatcher.settle();
    const inbox = (await owner.get('/api/v1/notifications')).json().items as { eventType: string; body: string }[];
    const notices = inbox.filter((n) => n.eventType === 'auth.login_throttled');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toContain('203.0.113.80');
    expect(notices[0]!.body).toContain(`${FREE_FAILURES} 次`);
    const english = await server.userWith('agent', { username: 'owner-2-en' });
    await english.patch('/api/v1/auth/me/preferences', { locale: 'en-US' });
    await failTimes(FREE_FAILURES, 'owner-2-en', '203.0.113.81');
    await server.platform.dispatcher.settle();
    const [notice] = (await english.get('/api/v1/notifications')).json().items;
    expect(notice).toMatchObject({
      eventType: 'auth.login_throttled',
      title: 'Repeated failed sign-ins to your account',
    });
  });

  it('lets colleagues behind a NAT sign in while a password spray from it is slowed', async () => {
    const office = '192.0.2.10';
    await server.userWith('agent', { username: 'colleague-1' });
    await server.userWith('agent', { username: 'colleague-2' });
    for (let i = 0; i < ADDRESS_LIMIT; i++) await failTimes(1, `sprayed-${i}`, office);
    // The spray's next account waits from its first failure…
    await failTimes(1, 'sprayed-next', office);
    expect((await login('sprayed-next', 'Wrong-Guess-x', office)).statusCode).toBe(429);
    await failTimes(1, 'colleague-2', office);
    expect((await login('colleague-2', TEST_PASSWORD, office)).statusCode).toBe(429);
    // …while a colleague who has not failed signs in from the same address.
    expect((await login('colleague-1', TEST_PASSWORD, office)).statusCode).toBe(200);
    expect((await login('admin', TEST_PASSWORD, office)).statusCode).toBe(200);
  });

  it('believes X-Forwarded-For from a trusted proxy only', async () => {
    await server.userWith('agent', { username: 'owner-3' });
    // Straight from the internet, a forged header changes nothing: all five count for one address.
    for (let i = 0; i < FREE_FAILURES; i++) {
      await failTimes(1, 'owner-3', '198.51.100.20', { 'x-forwarded-for': `203.0.113.${100 + i}` });
    }
    const spoofed = await login('owner-3', TEST_PASSWORD, '198.51.100.20', { 'x-forwarded-for': '203.0.113.200' });
    expect(spoofed.statusCode).toBe(429);
    // Through the proxy (10.0.0.0/8), each client is its own address.
    const viaProxy = (client: string) => ({ 'x-forwarded-for': client });
    await failTimes(FREE_FAILURES, 'owner-3', '10.1.2.3', viaProxy('203.0.113.9'));
    expect((await login('owner-3', TEST_PASSWORD, '10.1.2.3', viaProxy('203.0.113.9'))).statusCode).toBe(429);
    const owner = await login('owner-3', TEST_PASSWORD, '10.1.2.3', viaProxy('198.51.100.77'));
    expect(owner.statusCode).toBe(200);
    const addresses = (await audit('auth.logged_in', owner.json().id)).map((e) => e.data.ip);
    expect(addresses).toContain('198.51.100.77');
    expect(addresses).not.toContain('10.1.2.3');
  });

  it('lifts every wait on an account when an administrator unlocks it', async () => {
    const owner = await server.userWith('agent', { username: 'owner-4' });
    await failTimes(FREE_FAILURES, 'owner-4', '203.0.113.44');
    await failTimes(FREE_FAILURES, 'owner-4', '203.0.113.45');
    expect((await login('owner-4', TEST_PASSWORD, '203.0.113.44')).statusCode).toBe(429);

    const agent = await server.userWith('agent');
    const admin = await server.signIn('admin');
    expect((await agent.post(`/api/v1/users/${owner.userId}/unlock`)).statusCode).toBe(403);
    expect((await admin.post('/api/v1/users/01900000-0000-7000-8000-000000000000/unlock')).statusCode).toBe(404);
    expect((await admin.post(`/api/v1/users/${owner.userId}/unlock`)).statusCode).toBe(204);

    expect((await login('owner-4', TEST_PASSWORD, '203.0.113.44')).statusCode).toBe(200);
    expect((await login('owner-4', TEST_PASSWORD, '203.0.113.45')).statusCode).toBe(200);
    const [unlocked] = await audit('auth.login_unlocked', owner.userId);
    expect(unlocked!.data).toEqual({ addresses: 2 });
  });
});
