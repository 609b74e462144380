import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { createTestServer, TEST_PASSWORD, type TestServer } from '../../../test/harness';

/**
 * What a request says about where it came from — the client's address (X-Forwarded-For) and scheme
 * (X-Forwarded-Proto) — is believed only from a proxy listed in TRUSTED_PROXIES; the session cookie
 * is `Secure` whenever the request arrived over HTTPS, directly or through such a proxy.
 */
describe.each(BACKENDS)('forwarded headers and the Secure cookie on %s', (kind) => {
  let plain: TestServer;
  let proxied: TestServer;
  beforeAll(async () => {
    plain = await createTestServer(kind);
    proxied = await createTestServer(kind, { TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1' });
  });
  afterAll(async () => {
    await plain.close();
    await proxied.close();
  });

  const login = (server: TestServer, from: string, headers: Record<string, string>) =>
    server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: TEST_PASSWORD },
      remoteAddress: from,
      headers,
    });
  const sessionCookie = (res: Awaited<ReturnType<typeof login>>) => {
    expect(res.statusCode, res.body).toBe(200);
    return res.cookies.find((c) => c.name === 'sl_session')!;
  };
  const loginAddresses = async (server: TestServer) => {
    const admin = await server.signIn('admin');
    const page = (await admin.get('/api/v1/audit?type=auth.logged_in&pageSize=200')).json();
    return page.items.map((e: { data: { ip: string } }) => e.data.ip) as string[];
  };

  it('ignores X-Forwarded-For and -Proto without TRUSTED_PROXIES, even from loopback', async () => {
    const res = await login(plain, '127.0.0.1', { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' });
    expect(sessionCookie(res).secure).toBeFalsy();
    const addresses = await loginAddresses(plain);
    expect(addresses).not.toContain('203.0.113.7');
    expect(addresses).toContain('127.0.0.1');
  });

  it('marks the cookie Secure when a trusted proxy forwarded an HTTPS request, and not otherwise', async () => {
    const viaProxy = await login(proxied, '10.0.0.2', {
      'x-forwarded-for': '203.0.113.8',
      'x-forwarded-proto': 'https',
    });
    expect(sessionCookie(viaProxy).secure).toBe(true);
    const plainProxied = await login(proxied, '10.0.0.2', {
      'x-forwarded-for': '203.0.113.8',
      'x-forwarded-proto': 'http',
    });
    expect(sessionCookie(plainProxied).secure).toBeFalsy();
    // From outside the list the headers are a client's claim: neither believed.
    const forged = await login(proxied, '198.51.100.30', {
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'https',
    });
    expect(sessionCookie(forged).secure).toBeFalsy();
    const addresses = await loginAddresses(proxied);
    expect(addresses).toContain('203.0.113.8');
    expect(addresses).toContain('198.51.100.30');
    expect(addresses).not.toContain('203.0.113.9');
  });

  it('marks the cookie Secure on a direct HTTPS connection', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sl-tls-'));
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'pipe' },
    );
    // The same application, answering on a TLS socket of its own.
    await plain.app.ready();
    const tls = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) =>
      plain.app.routing(req, res),
    );
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      const setCookie = await new Promise<string[]>((resolve, reject) => {
        const body = JSON.stringify({ username: 'admin', password: TEST_PASSWORD });
        const request = https.request(
          {
            host: '127.0.0.1',
            port: (tls.address() as AddressInfo).port,
            path: '/api/v1/auth/login',
            method: 'POST',
            ca: readFileSync(cert),
            servername: 'localhost',
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (response) => {
            response.resume();
            response.on('end', () =>
              response.statusCode === 200
                ? resolve(response.headers['set-cookie'] ?? [])
                : reject(new Error(`login over TLS answered ${response.statusCode}`)),
            );
          },
        );
        request.on('error', reject);
        request.end(body);
      });
      const session = setCookie.find((c) => c.startsWith('sl_session='));
      expect(session).toMatch(/;\s*Secure/i);
    } finally {
      await new Promise<void>((resolve) => tls.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
