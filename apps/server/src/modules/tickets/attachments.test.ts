import { readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';

function multipart(filename: string, content: Buffer, fields: Record<string, string> = {}) {
  const boundary = `----serviceloop${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
  );
  chunks.push(content, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypisom'),
  Buffer.from([0, 0, 2, 0]),
  Buffer.from('isomiso2'),
  Buffer.alloc(64),
]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

describe.each(BACKENDS)('ticket attachments on %s', (kind) => {
  let server: TestServer;
  let agent: Agent;
  let contact: Agent;
  let ticketId: string;
  let jpegWithGps: Buffer;
  const tmp = () => path.join(server.platform.config.dataDir, 'tmp');
  const leftovers = () => {
    try {
      return readdirSync(tmp());
    } catch {
      return [];
    }
  };
  beforeAll(async () => {
    server = await createTestServer(kind, { FILES_MAX_IMAGE_BYTES: String(300_000) });
    const admin = await server.signIn('admin');
    const customer = (
      await admin.post('/api/v1/customers', { name: '附件测试客户', regionCode: '440000', industry: 'other' })
    ).json();
    agent = await server.userWith('agent');
    contact = await server.userWith('customer', { customerId: customer.id });
    ticketId = (
      await agent.post('/api/v1/tickets', {
        channel: 'phone',
        contactName: '王',
        customerId: customer.id,
        title: '屏幕花屏',
        description: '开机后屏幕出现花屏和条纹，重启无效',
      })
    ).json().ticket.id;
    jpegWithGps = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } })
      .jpeg()
      .withExif({
        IFD0: { Artist: 'field engineer', Copyright: 'secret' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '22/1 32/1 0/1' },
      })
      .toBuffer();
    expect((await sharp(jpegWithGps).metadata()).exif).toBeDefined();
  });
  afterAll(async () => {
    await server.close();
  });

  // The harness agent sends cookies and CSRF on its own requests; uploads need them as headers.
  const authed = async (who: Agent, name: string, content: Buffer, fields: Record<string, string> = {}) => {
    const { payload, headers } = multipart(name, content, fields);
    return who.request('POST', `/api/v1/tickets/${ticketId}/attachments`, payload, headers);
  };

  it('keeps a photo re-encoded, thumbnailed and stripped of EXIF and GPS', async () => {
    const res = await authed(agent, '现场照片.JPG', jpegWithGps);
    expect(res.statusCode, res.body).toBe(201);
    const attachment = res.json();
    expect(attachment).toMatchObject({
      kind: 'image',
      mimeType: 'image/jpeg',
      width: 64,
      height: 48,
      hasThumbnail: true,
      visibility: 'customer',
    });
    const download = await agent.get(`/api/v1/attachments/${attachment.id}/content`);
    expect(download.headers['content-disposition']).toMatch(/^attachment; /);
    expect(download.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('现场照片.jpg')}`);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-security-policy']).toContain('sandbox');
    const meta = await sharp(download.rawPayload).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.format).toBe('jpeg');
    const thumb = await agent.get(`/api/v1/attachments/${attachment.id}/thumbnail`);
    expect((await sharp(thumb.rawPayload).metadata()).format).toBe('webp');
    expect(
      (await agent.get(`/api/v1/attachments/${attachment.id}/content?inline=true`)).headers['content-disposition'],
    ).toMatch(/^inline/);
  });

  it('accepts videos and PDFs by their magic bytes, kept as downloads', async () => {
    expect((await authed(agent, 'run.mp4', MP4)).json()).toMatchObject({ kind: 'video', mimeType: 'video/mp4' });
    const pdf = (await authed(agent, 'report.pdf', PDF)).json();
    expect(pdf).toMatchObject({ kind: 'document', mimeType: 'application/pdf' });
    expect(
      (await agent.get(`/api/v1/attachments/${pdf.id}/content?inline=true`)).headers['content-disposition'],
    ).toMatch(/^attachment/);
  });

  it('refuses content that disagrees with its name, HTML, SVG and scripts — leaving no temporary file', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const cases: [string, Buffer, string][] = [
      ['photo.jpg', png, 'file.type_mismatch'],
      ['page.png', Buffer.from('<!doctype html><script>alert(1)</script>'), 'file.type_not_allowed'],
      [
        'logo.svg',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        'file.type_not_allowed',
      ],
      ['run.sh', Buffer.from('#!/bin/sh\nrm -rf /\n'), 'file.type_not_allowed'],
      ['fake.mp4', Buffer.from('not a video at all, just text'), 'file.type_not_allowed'],
    ];
    for (const [name, content, code] of cases) {
      const res = await authed(agent, name, content);
      expect(res.statusCode, name).toBe(415);
      expect(res.json().code, name).toBe(code);
    }
    expect(leftovers()).toEqual([]);
  });

  it('answers 413 past the size limit while streaming, keeping nothing', async () => {
    const big = Buffer.concat([jpegWithGps, Buffer.alloc(400_000)]);
    const res = await authed(agent, 'huge.jpg', big);
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('file.too_large');
    expect(leftovers()).toEqual([]);
  });

  it('refuses a pixel bomb', async () => {
    const bomb = await sharp({ create: { width: 8000, height: 8000, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(300_000);
    const res = await authed(agent, 'bomb.png', bomb);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('file.image_too_large');
    expect(leftovers()).toEqual([]);
  });

  it('shows customers only customer-visible attachments of their own tickets', async () => {
    const internal = (await authed(agent, 'notes.pdf', PDF, { visibility: 'internal' })).json();
    expect(internal.visibility).toBe('internal');
    const seen = (await contact.get(`/api/v1/tickets/${ticketId}/attachments`)).json().map((a: { id: string }) => a.id);
    expect(seen).not.toContain(internal.id);
    expect((await contact.get(`/api/v1/attachments/${internal.id}/content`)).statusCode).toBe(404);
    const stranger = await server.userWith('customer', { customerId: '01900000-0000-7000-8000-000000000000' });
    expect((await stranger.get(`/api/v1/tickets/${ticketId}/attachments`)).statusCode).toBe(404);
    const own = await authed(contact, '客户拍的照片.jpg', jpegWithGps, { visibility: 'internal' });
    expect(own.json().visibility).toBe('customer');
  });
});
