import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MultipartFile } from '@fastify/multipart';
import { fileTypeFromFile } from 'file-type';
import sharp from 'sharp';
import { AppError } from '../http/errors';
import { newId } from '../ids';
import type { FileStorage } from './storage';

export type FileKind = 'image' | 'video' | 'document';

/** What may be attached: detected type → kind, and the file name extensions that may claim it. */
const ACCEPTED: Record<string, { kind: FileKind; extensions: string[] }> = {
  'image/jpeg': { kind: 'image', extensions: ['jpg', 'jpeg'] },
  'image/png': { kind: 'image', extensions: ['png'] },
  'image/webp': { kind: 'image', extensions: ['webp'] },
  'image/gif': { kind: 'image', extensions: ['gif'] },
  'image/heic': { kind: 'image', extensions: ['heic', 'heif'] },
  'video/mp4': { kind: 'video', extensions: ['mp4', 'm4v'] },
  'video/quicktime': { kind: 'video', extensions: ['mov'] },
  'video/webm': { kind: 'video', extensions: ['webm'] },
  'application/pdf': { kind: 'document', extensions: ['pdf'] },
};
const KIND_OF_EXTENSION = new Map(
  Object.values(ACCEPTED).flatMap(({ kind, extensions }) => extensions.map((e) => [e, kind] as const)),
);

/** Refuses decoding images larger than this many pixels: a tiny PNG can declare 100k × 100k. */
export const MAX_PIXELS = 40_000_000;

export interface StoredFile {
  id: string;
  kind: FileKind;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  thumbnailKey: string | null;
  width: number | null;
  height: number | null;
  originalName: string;
}

/** A display name safe for Content-Disposition: no path, no control characters, bounded length. */
export function sanitiseName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file';
  // Control characters and quotes would break the header; drop them.
  const clean = [...base]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && ch !== '"')
    .join('')
    .trim();
  return (clean || 'file').slice(0, 150);
}

const extensionOf = (name: string) => name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';

/**
 * Receives one uploaded file safely: the limit of the kind its name claims is enforced while
 * streaming (413, nothing kept); the content's magic bytes must agree with the name (415);
 * images are re-encoded — which drops EXIF and GPS — and thumbnailed, and pixel bombs refused
 * (422). The temporary file is removed on every path.
 */
export async function receiveFile(
  part: MultipartFile,
  options: { limits: Record<FileKind, number>; tmpDir: string; storage: FileStorage },
): Promise<StoredFile> {
  const originalName = sanitiseName(part.filename);
  const claimed = KIND_OF_EXTENSION.get(extensionOf(originalName));
  if (!claimed) {
    part.file.resume();
    throw new AppError(415, 'file.type_not_allowed', { type: extensionOf(originalName) || '?' });
  }
  const limit = options.limits[claimed];
  await mkdir(options.tmpDir, { recursive: true });
  const temp = path.join(options.tmpDir, `${newId()}.part`);
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      part.file,
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > limit)
            return done(new AppError(413, 'file.too_large', { limit: Math.round(limit / 1024 / 1024) }));
          hash.update(chunk);
          done(null, chunk);
        },
      }),
      createWriteStream(temp),
    );
    if (size === 0) throw new AppError(400, 'file.empty');
    const detected = await fileTypeFromFile(temp);
    const accepted = detected ? ACCEPTED[detected.mime] : undefined;
    if (!detected || !accepted) throw new AppError(415, 'file.type_not_allowed', { type: detected?.mime ?? 'unknown' });
    if (!accepted.extensions.includes(extensionOf(originalName))) {
      throw new AppError(415, 'file.type_mismatch', { detected: detected.mime, name: originalName });
    }
    const id = newId();
    const key = `${id.slice(-2)}/${id}`;
    if (accepted.kind !== 'image') {
      await options.storage.adopt(key, temp);
      return {
        id,
        kind: accepted.kind,
        mimeType: detected.mime,
        sizeBytes: size,
        sha256: hash.digest('hex'),
        storageKey: key,
        thumbnailKey: null,
        width: null,
        height: null,
        originalName,
      };
    }
    return await reencodeImage(temp, { id, key, originalName, storage: options.storage });
  } finally {
    await rm(temp, { force: true });
  }
}

async function reencodeImage(
  temp: string,
  o: { id: string; key: string; originalName: string; storage: FileStorage },
): Promise<StoredFile> {
  try {
    const image = sharp(temp, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate();
    const meta = await sharp(temp, { limitInputPixels: MAX_PIXELS }).metadata();
    // JPEG stays JPEG; everything else becomes PNG (lossless) — sharp writes no metadata unless asked.
    const asJpeg = meta.format === 'jpeg' || meta.format === 'heif';
    const { data, info } = await (asJpeg ? image.jpeg({ quality: 85 }) : image.png()).toBuffer({
      resolveWithObject: true,
    });
    const thumbnail = await sharp(data)
      .resize({ width: 320, height: 320, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer();
    await o.storage.write(o.key, data);
    await o.storage.write(`${o.key}.thumb`, thumbnail);
    return {
      id: o.id,
      kind: 'image',
      mimeType: asJpeg ? 'image/jpeg' : 'image/png',
      sizeBytes: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      storageKey: o.key,
      thumbnailKey: `${o.key}.thumb`,
      width: info.width,
      height: info.height,
      originalName: o.originalName.replace(/\.[a-z0-9]+$/i, asJpeg ? '.jpg' : '.png'),
    };
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (/pixel limit/i.test(String((error as Error).message)))
      throw new AppError(422, 'file.image_too_large', { pixels: MAX_PIXELS });
    throw new AppError(422, 'file.image_unreadable');
  }
}
