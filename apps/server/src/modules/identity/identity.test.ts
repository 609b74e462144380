import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { createTestServer, TEST_PASSWORD, type TestServer } from '../../../test/harness';

describe.each(BACKENDS)('identity over HTTP on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(kind);
  });
  afterAll(async () => {
    await server.close();
  });

  const login = (username: string, password: string, headers: Record<string, string> = {}) =>
    server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, headers });

  it('signs in with a session cookie that is httpOnly and SameSite, and answers /me', async () => {
    const res = await login('admin', TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'sl_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const me = await server.app.inject({ url: '/api/v1/auth/me', headers: { cookie: `sl_session=${cookie.value}` } });
    expect(me.json()).toMatchObject({ username: 'admin', roles: ['admin'] });
    expect(me.json().csrfToken).toBe(res.json().csrfToken);
  });

  it('answers an unknown user and a wrong password alike', async () => {
    const unknown = await login('nobody-here', 'whatever-password');
    const wrong = await login('admin', 'wrong-password-123');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().code).toBe(wrong.json().code);
    expect(unknown.json().message).toBe(wrong.json().message);
  });

  it('localises errors by Accept-Language, Chinese by default', async () => {
    expect((await login('admin', 'nope')).json().message).toBe('用户名或密码错误');
    expect((await login('admin', 'nope', { 'accept-language': 'en-US,en;q=0.9' })).json().message).toBe(
      'Wrong username or password',
    );
  });

  it('throttles an account after repeated failures from one address, in the database, even for the right password', async () => {
    await server.userWith('agent', { username: 'throttled-agent' });
    for (let i = 0; i < 5; i++) expect((await login('throttled-agent', `bad-password-${i}`)).statusCode).toBe(401);
    const locked = await login('throttled-agent', TEST_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('auth.throttled');
    server.clock.advance(16 * 60_000);
    expect((await login('throttled-agent', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('refuses cookie-authenticated writes without the CSRF token', async () => {
    const admin = await server.signIn('admin');
    const withoutToken = await admin.request(
      'POST',
      '/api/v1/teams',
      { name: '华南服务组' },
      { 'x-csrf-token': 'forged' },
    );
    expect(withoutToken.statusCode).toBe(403);
    expect(withoutToken.json().code).toBe('auth.csrf_failed');
    const withToken = await admin.post('/api/v1/teams', { name: '华南服务组', regionCodes: ['440000'] });
    expect(withToken.statusCode).toBe(201);
  });

  it('ends a session after 30 idle minutes and at logout', async () => {
    const agent = await server.userWith('agent');
    expect((await agent.get('/api/v1/auth/me')).statusCode).toBe(200);
    server.clock.advance(31 * 60_000);
    expect((await agent.get('/api/v1/auth/me')).statusCode).toBe(401);
    const again = await server.signIn(agent.username);
    expect((await again.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await again.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('creates users only with a password meeting the policy, and revokes sessions when roles change', async () => {
    const admin = await server.signIn('admin');
    const weak = await admin.post('/api/v1/users', {
      username: 'weakling',
      displayName: '弱密码',
      password: 'password123',
      roles: ['agent'],
    });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().details.map((d: { code: string }) => d.code)).toContain('password.too_short');
    const engineer = await server.userWith('engineer');
    const user = (await admin.get(`/api/v1/users/${engineer.userId}`)).json();
    const stale = await admin.patch(`/api/v1/users/${engineer.userId}`, {
      version: user.version + 1,
      roles: ['agent'],
    });
    expect(stale.statusCode).toBe(409);
    const changed = await admin.patch(`/api/v1/users/${engineer.userId}`, { version: user.version, roles: ['agent'] });
    expect(changed.statusCode).toBe(200);
    expect((await engineer.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('issues API tokens shown once, stored hashed, scoped, and revocable', async () => {
    const admin = await server.signIn('admin');
    const created = await admin.post('/api/v1/tokens', { name: 'ERP sync', scopes: ['user:read'], expiresInDays: 30 });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^slt_/);
    expect((await admin.get('/api/v1/tokens')).json()[0]).not.toHaveProperty('token');
    const bearer = { authorization: `Bearer ${token}` };
    expect((await server.anonymous.get('/api/v1/users', bearer)).statusCode).toBe(200);
    const outOfScope = await server.anonymous.get('/api/v1/audit', bearer);
    expect(outOfScope.statusCode).toBe(403);
    expect(outOfScope.json().code).toBe('auth.token_scope');
    // A token is not a browser session: no CSRF token needed, but it cannot mint tokens.
    expect(
      (await server.anonymous.post('/api/v1/tokens', { name: 'x', scopes: ['user:read'] }, bearer)).statusCode,
    ).toBe(403);
    expect((await admin.delete(`/api/v1/tokens/${id}`)).statusCode).toBe(204);
    expect((await server.anonymous.get('/api/v1/users', bearer)).statusCode).toBe(401);
  });

  it('records security events in the audit log', async () => {
    const admin = await server.signIn('admin');
    const page = (await admin.get('/api/v1/audit?pageSize=200')).json();
    const types = new Set(page.items.map((e: { type: string }) => e.type));
    for (const t of [
      'auth.logged_in',
      'auth.login_failed',
      'user.permissions_changed',
      'auth.token_created',
      'auth.token_used',
      'auth.token_revoked',
    ]) {
      expect(types).toContain(t);
    }
  });

  it('refuses a policy that would lock administrators out', async () => {
    const admin = await server.signIn('admin');
    const { rules } = (await admin.get('/api/v1/policy')).json();
    const res = await admin.put('/api/v1/policy', {
      rules: rules.filter((r: { resource: string }) => r.resource !== 'settings'),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('policy.lockout');
  });
});
