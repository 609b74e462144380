import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../../test/harness';

describe('HTTP platform', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer('pglite');
  });
  afterAll(async () => {
    await server.close();
  });

  it('reports health with the database it reached', async () => {
    const res = await server.anonymous.get('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'pglite' });
  });

  it('publishes an OpenAPI 3.1 document generated from the contracts', async () => {
    const doc = (await server.anonymous.get('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    const login = doc.paths['/api/v1/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.required).toEqual(['username', 'password']);
    expect(Object.keys(doc.paths)).toContain('/api/v1/users/{id}');
  });

  it('serves a browsable API reference', async () => {
    const res = await server.anonymous.get('/api/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('/api/openapi.json');
  });

  it('sends security headers and a request id on every response', async () => {
    const res = await server.anonymous.get('/api/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-request-id']).toMatch(/^[\w-]{8,}$/);
    const traced = await server.anonymous.get('/api/health', { 'x-request-id': 'trace-12345678' });
    expect(traced.headers['x-request-id']).toBe('trace-12345678');
  });

  it('lets a browser on another machine load the app over plain HTTP: no upgrade to https, no HSTS', async () => {
    const res = await server.anonymous.get('/api/health', { host: '192.168.10.23:3000' });
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    // A client cannot claim https for itself: only a listed proxy is believed.
    const forged = await server.anonymous.get('/api/health', { 'x-forwarded-proto': 'https' });
    expect(forged.headers['strict-transport-security']).toBeUndefined();
  });

  it('asks for https only when served over HTTPS (here: a trusted proxy terminating TLS)', async () => {
    const behindProxy = await createTestServer('pglite', { TRUSTED_PROXIES: '127.0.0.1' });
    try {
      const tls = { host: 'service.example.cn', 'x-forwarded-proto': 'https' };
      const secure = await behindProxy.anonymous.get('/api/health', tls);
      expect(secure.headers['content-security-policy']).toContain('upgrade-insecure-requests');
      expect(secure.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      const plain = await behindProxy.anonymous.get('/api/health', { host: '10.0.0.8:3000' });
      expect(plain.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(plain.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await behindProxy.close();
    }
  });

  it('answers an unknown API route with the error model, in the reader’s language', async () => {
    const zh = await server.anonymous.get('/api/v1/no-such-thing');
    expect(zh.statusCode).toBe(404);
    expect(zh.json()).toMatchObject({ code: 'route.not_found', message: '接口不存在：GET /api/v1/no-such-thing' });
    const en = await server.anonymous.get('/api/v1/no-such-thing', { 'accept-language': 'en-GB,en;q=0.8' });
    expect(en.json().message).toBe('No such endpoint: GET /api/v1/no-such-thing');
  });

  it('asks for sign-in, localised, on protected routes', async () => {
    const res = await server.anonymous.get('/api/v1/users', { 'accept-language': 'en-US' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'auth.unauthenticated', message: 'Please sign in' });
  });
});

describe('the web build, served', () => {
  // A build as vite writes it: hashed assets with their precompressed twins, and the page.
  const dist = mkdtempSync(path.join(tmpdir(), 'sl-web-'));
  const script = `console.log(${JSON.stringify('工单'.repeat(400))});`;
  const page = '<!doctype html><html lang="zh-CN"><body><div id="root"></div></body></html>';
  mkdirSync(path.join(dist, 'assets'));
  for (const [file, text] of [
    ['assets/index-Ab12Cd34.js', script],
    ['index.html', page],
  ] as const) {
    writeFileSync(path.join(dist, file), text);
    writeFileSync(path.join(dist, `${file}.br`), brotliCompressSync(text));
    writeFileSync(path.join(dist, `${file}.gz`), gzipSync(text));
  }
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer('pglite', { WEB_DIST: dist });
  });
  afterAll(async () => {
    await server.close();
  });

  it('sends hashed assets precompressed (brotli, else gzip) and cached as immutable', async () => {
    const br = await server.app.inject({
      url: '/assets/index-Ab12Cd34.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toContain('javascript');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(script);
    expect(br.rawPayload.length).toBeLessThan(script.length / 10);

    // Chromium over plain http (an intranet address) offers no brotli.
    const gz = await server.app.inject({
      url: '/assets/index-Ab12Cd34.js',
      headers: { 'accept-encoding': 'gzip, deflate' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(script);
  });

  it('revalidates the page on every load, so a new release is seen at once', async () => {
    const res = await server.app.inject({ url: '/portal/r/A-0001', headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(gunzipSync(res.rawPayload).toString()).toBe(page);
  });

  it('answers a chunk of an older release with 404, not with the page in its place', async () => {
    const res = await server.app.inject({ url: '/assets/JobPage-Gone1234.js' });
    expect(res.statusCode).toBe(404);
  });
});
