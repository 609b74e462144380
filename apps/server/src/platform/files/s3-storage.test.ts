import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { createFileStorage } from './index';
import { S3Storage, s3ClientFor } from './s3-storage';
import { FileNotFound } from './storage';

/**
 * No S3 server runs here, so the SDK's HTTP handler is replaced by a recorder: these tests check
 * what we ask the bucket for (names, types, lengths, signing, path style) and how we read its
 * answers, everything short of the network.
 */
interface Sent {
  method: string;
  hostname: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

type Answer = { statusCode: number; headers?: Record<string, string>; body?: string };

function fakeBucket(answer: (sent: Sent) => Answer) {
  const sent: Sent[] = [];
  const requestHandler = {
    metadata: { handlerProtocol: 'http/1.1' },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    async handle(request: {
      method: string;
      hostname: string;
      path: string;
      headers: Record<string, string>;
      body?: unknown;
    }) {
      const body =
        request.body instanceof Readable
          ? await text(request.body)
          : Buffer.isBuffer(request.body) || request.body instanceof Uint8Array
            ? Buffer.from(request.body).toString()
            : String(request.body ?? '');
      const entry = {
        method: request.method,
        hostname: request.hostname,
        path: request.path,
        headers: request.headers,
        body,
      };
      sent.push(entry);
      const reply = answer(entry);
      return {
        response: {
          statusCode: reply.statusCode,
          headers: reply.headers ?? {},
          body: Readable.from([Buffer.from(reply.body ?? '')]),
        },
      };
    },
  };
  const settings = {
    bucket: 'tickets',
    prefix: 'att/',
    endpoint: 'http://minio.internal:9000',
    region: 'cn-east-1',
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'secret',
    forcePathStyle: true,
  };
  const storage = new S3Storage(settings, s3ClientFor(settings, { requestHandler, maxAttempts: 1 }));
  return { storage, sent };
}

const notFoundXml = (code: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>missing</Message></Error>`;

const scratch = mkdtempSync(path.join(tmpdir(), 'serviceloop-s3-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('S3Storage', () => {
  it('puts bytes under the prefixed key, path style, signed, with type and length', async () => {
    const { storage, sent } = fakeBucket(() => ({ statusCode: 200, headers: { etag: '"x"' } }));
    await storage.put('ab/0190-ab', Buffer.from('hello'), { contentType: 'image/jpeg' });
    const [put] = sent;
    expect(put).toMatchObject({
      method: 'PUT',
      hostname: 'minio.internal',
      path: '/tickets/att/ab/0190-ab',
      body: 'hello',
    });
    expect(put!.headers['content-type']).toBe('image/jpeg');
    expect(put!.headers['content-length']).toBe('5');
    expect(put!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/cn-east-1\/s3\//);
  });

  it('uploads a finished temp file and removes it', async () => {
    const { storage, sent } = fakeBucket(() => ({ statusCode: 200 }));
    const temp = path.join(scratch, 'upload.part');
    writeFileSync(temp, '%PDF-1.4 body');
    await storage.putFile('cd/0190-cd', temp, { contentType: 'application/pdf' });
    expect(sent[0]).toMatchObject({ method: 'PUT', path: '/tickets/att/cd/0190-cd', body: '%PDF-1.4 body' });
    expect(sent[0]!.headers['content-length']).toBe('13');
    expect(sent[0]!.headers['content-encoding']).toBeUndefined(); // no aws-chunked trailers for S3-compatibles
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('reads an object as a stream with its length, and a missing one as FileNotFound', async () => {
    const { storage, sent } = fakeBucket(
      ({ path }): Answer =>
        path.endsWith('/here')
          ? { statusCode: 200, headers: { 'content-length': '4', 'content-type': 'video/mp4' }, body: 'mp4!' }
          : { statusCode: 404, headers: { 'content-type': 'application/xml' }, body: notFoundXml('NoSuchKey') },
    );
    const found = await storage.get('ef/here');
    expect(found.sizeBytes).toBe(4);
    expect(await text(found.body)).toBe('mp4!');
    expect(sent[0]).toMatchObject({ method: 'GET', path: '/tickets/att/ef/here' });
    await expect(storage.get('ef/gone')).rejects.toBeInstanceOf(FileNotFound);
  });

  it('answers exists from HEAD and deletes by key', async () => {
    const { storage, sent } = fakeBucket(({ method, path }) =>
      method === 'HEAD' && path.endsWith('/gone')
        ? { statusCode: 404 }
        : { statusCode: method === 'DELETE' ? 204 : 200 },
    );
    expect(await storage.exists('ab/here')).toBe(true);
    expect(await storage.exists('ab/gone')).toBe(false);
    await storage.delete('ab/here');
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual([
      'HEAD /tickets/att/ab/here',
      'HEAD /tickets/att/ab/gone',
      'DELETE /tickets/att/ab/here',
    ]);
  });

  it('refuses keys that could escape the prefix before any request', async () => {
    const { storage, sent } = fakeBucket(() => ({ statusCode: 200 }));
    for (const key of ['../other', 'ab/../../x', '/abs', 'AB/upper', 'ab/na me']) {
      await expect(storage.put(key, Buffer.from('x'), { contentType: 'text/plain' })).rejects.toThrow(/unsafe/);
    }
    expect(sent).toEqual([]);
  });
});

describe('createFileStorage', () => {
  it('uses S3 when S3_BUCKET is set and the local disk otherwise', () => {
    const base = { DATA_DIR: scratch, NODE_ENV: 'test' as const };
    expect(createFileStorage(loadConfig(base)).constructor.name).toBe('LocalDiskStorage');
    const s3 = loadConfig({ ...base, S3_BUCKET: 'b', S3_ENDPOINT: 'http://127.0.0.1:9000' });
    expect(s3.s3).toMatchObject({ bucket: 'b', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true, prefix: '' });
    expect(createFileStorage(s3)).toBeInstanceOf(S3Storage);
    expect(() => loadConfig({ ...base, S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'only-half' })).toThrow(
      /S3_SECRET_ACCESS_KEY/,
    );
  });
});
