import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleError } from '../http/error-handler';
import { localeFrom } from '../i18n';
import { sendAttachment } from './download';
import { MAX_PIXELS } from './image';
import { receiveUpload, type StoredAttachment } from './intake';
import { multipartSupport } from './plugin';
import { LocalDiskStorage } from './storage';

// --- fixtures, made here rather than committed ---------------------------------------------

function multipart(filename: string, content: Buffer, fields: Record<string, string> = {}) {
  const boundary = `----files${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = Object.entries(fields).map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
  );
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypisom'),
  Buffer.from([0, 0, 2, 0]),
  Buffer.from('isomiso2'),
  Buffer.from([0, 0, 0, 0x10]),
  Buffer.from('mdat'),
  Buffer.alloc(8, 7),
]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
const SVG = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

const photo = (width = 64, height = 48) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } });

/** A PNG whose header claims huge dimensions: a few dozen bytes that would decode to gigabytes. */
function pixelBomb(width = 50_000, height = 50_000): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

// --- a tiny app: the plugin, the platform's error handler, an upload and a download route ---

const IMAGE_LIMIT = 200_000;
const LIMITS = { image: IMAGE_LIMIT, video: 100_000, document: 100_000 };
let dataDir: string;
let app: FastifyInstance;
let storage: LocalDiskStorage;
const received = new Map<string, StoredAttachment>();
const tmpDir = () => path.join(dataDir, 'tmp');
const leftovers = () => {
  try {
    return readdirSync(tmpDir());
  } catch {
    return [];
  }
};
const storedFiles = () => readdirSync(path.join(dataDir, 'files'), { recursive: true, withFileTypes: true });

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'serviceloop-files-'));
  storage = new LocalDiskStorage(path.join(dataDir, 'files'));
  app = Fastify();
  app.decorateRequest('locale', 'zh-CN');
  app.addHook('onRequest', async (request) => {
    request.locale = localeFrom(request.headers['accept-language']);
  });
  app.setErrorHandler(handleError);
  await app.register(multipartSupport, { limits: LIMITS });
  app.post('/upload', async (request, reply) => {
    const { attachment, fields } = await receiveUpload(request, { storage, tmpDir: tmpDir(), limits: LIMITS });
    received.set(attachment.id, attachment);
    return reply.status(201).send({ ...attachment, fields });
  });
  app.get<{ Params: { id: string }; Querystring: { inline?: string; thumbnail?: string } }>(
    '/files/:id',
    async (request, reply) => {
      const attachment = received.get(request.params.id);
      if (!attachment) return reply.status(404).send();
      return sendAttachment(reply, storage, attachment, {
        inline: request.query.inline === 'true',
        variant: request.query.thumbnail === 'true' ? 'thumbnail' : 'original',
      });
    },
  );
  await app.ready();
});

afterAll(async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function upload(filename: string, content: Buffer, fields: Record<string, string> = {}, locale = 'zh-CN') {
  const body = multipart(filename, content, fields);
  return app.inject({
    method: 'POST',
    url: '/upload',
    payload: body.payload,
    headers: { ...body.headers, 'accept-language': locale },
  });
}

describe('receiveUpload accepts', () => {
  it('a JPEG: re-encoded, measured, hashed and thumbnailed', async () => {
    const res = await upload('现场照片.JPG', await photo(640, 480).jpeg().toBuffer(), { visibility: 'internal' });
    expect(res.statusCode).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({ kind: 'image', mimeType: 'image/jpeg', width: 640, height: 480 });
    expect(a.originalName).toBe('现场照片.jpg');
    expect(a.fields).toEqual({ visibility: 'internal' });
    const stored = readFileSync(path.join(dataDir, 'files', a.storageKey));
    expect(a.sizeBytes).toBe(stored.length);
    expect(a.sha256).toBe(sha256(stored));
    expect(a.storageKey).toMatch(new RegExp(`^${a.id.slice(-2)}/${a.id}$`));
    const thumb = await sharp(readFileSync(path.join(dataDir, 'files', a.thumbnailKey))).metadata();
    expect(thumb).toMatchObject({ format: 'webp', width: 320, height: 240 });
  });

  it('a PNG, kept as PNG', async () => {
    const res = await upload('board.png', await photo().png().toBuffer());
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'image', mimeType: 'image/png', width: 64, height: 48 });
  });

  it('an MP4 and a PDF, stored byte for byte', async () => {
    for (const [name, bytes, kind, mimeType] of [
      ['fault.mp4', MP4, 'video', 'video/mp4'],
      ['report.pdf', PDF, 'document', 'application/pdf'],
    ] as const) {
      const res = await upload(name, bytes);
      expect(res.statusCode, name).toBe(201);
      const a = res.json();
      expect(a).toMatchObject({ kind, mimeType, sizeBytes: bytes.length, sha256: sha256(bytes), thumbnailKey: null });
      expect(readFileSync(path.join(dataDir, 'files', a.storageKey)).equals(bytes)).toBe(true);
    }
  });

  it('a photo only after dropping its EXIF and GPS, upright', async () => {
    // Orientation 6 = the camera was turned: a 60×40 sensor image shows 40×60.
    const withGps = await photo(60, 40)
      .jpeg()
      .withExif({
        IFD0: { Make: 'ServiceLoopCam', Model: 'Leak-Finder 3000' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 0/1', GPSMapDatum: 'WGS-84' },
      })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const before = await sharp(withGps).metadata();
    expect(before.exif?.includes('WGS-84')).toBe(true);
    expect(before.orientation).toBe(6);

    const res = await upload('gps.jpg', withGps);
    expect(res.statusCode).toBe(201);
    const stored = readFileSync(path.join(dataDir, 'files', res.json().storageKey));
    const after = await sharp(stored).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(stored.includes('WGS-84')).toBe(false);
    expect(stored.includes('ServiceLoopCam')).toBe(false);
    expect([after.width, after.height]).toEqual([40, 60]);
    expect(res.json()).toMatchObject({ width: 40, height: 60 });
  });
});

describe('receiveUpload refuses', () => {
  beforeEach(() => expect(leftovers()).toEqual([]));

  it.each([
    ['a PNG named .jpg', 'photo.jpg', async () => photo().png().toBuffer(), 'file.type_mismatch'],
    ['HTML named .png', 'page.png', async () => HTML, 'file.type_not_allowed'],
    ['HTML', 'page.html', async () => HTML, 'file.type_not_allowed'],
    ['SVG', 'logo.svg', async () => SVG, 'file.type_not_allowed'],
    ['SVG named .png', 'logo.png', async () => SVG, 'file.type_not_allowed'],
    ['a script', 'fix.sh', async () => Buffer.from('#!/bin/sh\nrm -rf /\n'), 'file.type_not_allowed'],
    [
      'an executable named .pdf',
      'manual.pdf',
      async () => Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]),
      'file.type_not_allowed',
    ],
    ['a PDF named .mp4', 'clip.mp4', async () => PDF, 'file.type_mismatch'],
    ['no extension', 'README', async () => PDF, 'file.type_not_allowed'],
  ])('%s with 415 and nothing kept', async (_, name, content, code) => {
    const before = storedFiles().length;
    const res = await upload(name, await content());
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code, details: [{ path: 'file', code }] });
    expect(res.json().message).not.toBe(code);
    expect(leftovers()).toEqual([]);
    expect(storedFiles().length).toBe(before);
  });

  it('an image over its limit with 413 while streaming, in the reader’s language', async () => {
    const big = Buffer.concat([await photo().jpeg().toBuffer(), Buffer.alloc(IMAGE_LIMIT)]);
    const res = await upload('huge.jpg', big, {}, 'en-US');
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'file.too_large', details: [{ path: 'file', limitBytes: IMAGE_LIMIT }] });
    expect(res.json().message).toMatch(/too large/i);
    expect(leftovers()).toEqual([]);
  });

  it('an oversized upload over real HTTP, answering before the body is in and closing the connection', async () => {
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const form = new FormData();
    form.append('file', new Blob([PDF, Buffer.alloc(5_000_000)]), 'manual.pdf');
    const res = await fetch(`${url}/upload`, { method: 'POST', body: form });
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect(((await res.json()) as { code: string }).code).toBe('file.too_large');
    expect(leftovers()).toEqual([]);
  });

  it('a pixel bomb with 422', async () => {
    const bomb = pixelBomb();
    expect(bomb.length).toBeLessThan(100);
    expect(50_000 * 50_000).toBeGreaterThan(MAX_PIXELS);
    const res = await upload('bomb.png', bomb);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'file.image_too_large' });
    expect(leftovers()).toEqual([]);
  });

  it('a corrupt image with 422', async () => {
    const truncated = (await photo(200, 200).jpeg().toBuffer()).subarray(0, 300);
    const res = await upload('broken.jpg', truncated);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('file.image_unreadable');
    expect(leftovers()).toEqual([]);
  });

  it('an empty file with 400', async () => {
    const res = await upload('empty.pdf', Buffer.alloc(0));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('file.empty');
    expect(leftovers()).toEqual([]);
  });

  it('a form without a file, a JSON body and a cut-off upload with 4xx', async () => {
    const boundary = 'xyz';
    const noFile = await app.inject({
      method: 'POST',
      url: '/upload',
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="visibility"\r\n\r\ncustomer\r\n--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json()).toMatchObject({ code: 'validation.failed', details: [{ path: 'file' }] });

    const json = await app.inject({ method: 'POST', url: '/upload', payload: { file: 'x' } });
    expect(json.statusCode).toBe(415);
    expect(json.json().code).toBe('request.unsupported_media_type');

    const whole = multipart('report.pdf', Buffer.concat([PDF, Buffer.alloc(5000)]));
    const cut = await app.inject({
      method: 'POST',
      url: '/upload',
      payload: whole.payload.subarray(0, whole.payload.length - 2000),
      headers: whole.headers,
    });
    expect(cut.statusCode).toBe(400);
    expect(cut.json().code).toBe('file.upload_malformed');
    expect(leftovers()).toEqual([]);
  });
});

describe('sendAttachment', () => {
  const download = (id: string, query = '') => app.inject({ method: 'GET', url: `/files/${id}${query}` });

  it('sends a document as a sandboxed, unsniffable attachment even when asked inline', async () => {
    const a = (await upload('维修报告 (final).pdf', PDF)).json();
    for (const query of ['', '?inline=true']) {
      const res = await download(a.id, query);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="____ (final).pdf"; filename*=UTF-8''%E7%BB%B4%E4%BF%AE%E6%8A%A5%E5%91%8A%20%28final%29.pdf`,
      );
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-length']).toBe(String(PDF.length));
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
      expect(res.rawPayload.equals(PDF)).toBe(true);
    }
  });

  it('may show a re-encoded image and its thumbnail inline', async () => {
    const a = (await upload('photo.png', await photo().png().toBuffer())).json();
    const inline = await download(a.id, '?inline=true');
    expect(inline.headers['content-disposition']).toBe(`inline; filename="photo.png"; filename*=UTF-8''photo.png`);
    expect(inline.headers['content-type']).toBe('image/png');
    expect(inline.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect(Number(inline.headers['content-length'])).toBe(a.sizeBytes);
    expect((await download(a.id)).headers['content-disposition']).toMatch(/^attachment;/);

    const thumb = await download(a.id, '?thumbnail=true&inline=true');
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect(thumb.headers['content-disposition']).toMatch(/^inline; filename="photo.webp"/);
    expect(Number(thumb.headers['content-length'])).toBe(thumb.rawPayload.length);
    expect((await sharp(thumb.rawPayload).metadata()).format).toBe('webp');
  });

  it('answers 404 when the stored bytes are gone', async () => {
    const a = (await upload('gone.pdf', PDF)).json();
    await storage.delete(a.storageKey);
    const res = await download(a.id);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('resource.not_found');
  });
});
