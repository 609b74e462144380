import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../ids';
import { FileNotFound, LocalDiskStorage, newStorageKey, thumbnailKeyOf } from './storage';

const root = mkdtempSync(path.join(tmpdir(), 'serviceloop-disk-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const storage = new LocalDiskStorage(path.join(root, 'files'));

describe('LocalDiskStorage', () => {
  it('fans keys out by the id’s random tail', () => {
    const id = newId();
    expect(newStorageKey(id)).toBe(`${id.slice(-2)}/${id}`);
    expect(thumbnailKeyOf(newStorageKey(id))).toBe(`${id.slice(-2)}/${id}.thumb`);
  });

  it('puts buffers and streams, gets them back with their size, deletes them', async () => {
    const key = newStorageKey();
    await storage.put(key, Buffer.from('工单照片'), { contentType: 'image/jpeg' });
    const stream = newStorageKey();
    await storage.put(stream, Readable.from([Buffer.from('a'), Buffer.from('bc')]), { contentType: 'video/mp4' });
    const got = await storage.get(key);
    expect(got.sizeBytes).toBe(Buffer.byteLength('工单照片'));
    expect(await text(got.body)).toBe('工单照片');
    expect(await text((await storage.get(stream)).body)).toBe('abc');
    expect(await storage.exists(key)).toBe(true);
    await storage.delete(key);
    expect(await storage.exists(key)).toBe(false);
    await expect(storage.get(key)).rejects.toBeInstanceOf(FileNotFound);
    // No half-written siblings stay behind.
    expect(readdirSync(path.join(root, 'files', stream.split('/')[0]!))).toEqual([stream.split('/')[1]]);
  });

  it('moves a temp file in', async () => {
    const temp = path.join(root, 'upload.part');
    writeFileSync(temp, '%PDF-1.4');
    const key = newStorageKey();
    await storage.putFile(key, temp, { contentType: 'application/pdf' });
    expect(existsSync(temp)).toBe(false);
    expect(await text(storage.read(key))).toBe('%PDF-1.4');
  });

  it('never turns an unsafe key into a path', async () => {
    for (const key of ['../escape', 'ab/../../escape', '/etc/passwd', '.hidden', 'ab\\cd', 'ab//cd', '']) {
      await expect(storage.put(key, Buffer.from('x'), { contentType: 'text/plain' }), key).rejects.toThrow(/unsafe/);
      await expect(storage.get(key), key).rejects.toThrow(/unsafe/);
    }
    expect(existsSync(path.join(root, 'escape'))).toBe(false);
  });
});
