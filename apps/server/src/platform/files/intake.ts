import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromFile } from 'file-type';
import type { Config } from '../config';
import { AppError } from '../http/errors';
import { newId } from '../ids';
import { reencodeImage, THUMBNAIL_MIME } from './image';
import { type FileStorage, newStorageKey, thumbnailKeyOf } from './storage';

export { MAX_PIXELS } from './image';

export type FileKind = 'image' | 'video' | 'document';

/**
 * What may be attached: detected type → kind, and the file name extensions that may claim it.
 * HEIC is absent on purpose: sharp's prebuilt libvips decodes AVIF but not HEVC, so we could not
 * re-encode (and so strip) an iPhone HEIC; browsers upload camera photos as JPEG anyway.
 */
const ACCEPTED: Record<string, { kind: FileKind; extensions: string[] }> = {
  'image/jpeg': { kind: 'image', extensions: ['jpg', 'jpeg'] },
  'image/png': { kind: 'image', extensions: ['png'] },
  'image/webp': { kind: 'image', extensions: ['webp'] },
  'image/gif': { kind: 'image', extensions: ['gif'] },
  'video/mp4': { kind: 'video', extensions: ['mp4', 'm4v'] },
  'video/quicktime': { kind: 'video', extensions: ['mov'] },
  'video/webm': { kind: 'video', extensions: ['webm'] },
  'application/pdf': { kind: 'document', extensions: ['pdf'] },
};
const KIND_OF_EXTENSION = new Map(
  Object.values(ACCEPTED).flatMap(({ kind, extensions }) => extensions.map((e) => [e, kind] as const)),
);

/** An accepted upload as stored; the caller records it (e.g. as a ticket attachment row). */
export interface StoredAttachment {
  id: string;
  kind: FileKind;
  mimeType: string;
  /** Of the stored bytes: for images the re-encoded file, not the upload. */
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  /** A THUMBNAIL_MIME thumbnail, for images only. */
  thumbnailKey: string | null;
  width: number | null;
  height: number | null;
  /** Sanitised, for Content-Disposition only — never a path. */
  originalName: string;
}
/** @deprecated Named StoredAttachment now. */
export type StoredFile = StoredAttachment;

export interface UploadOptions {
  storage: FileStorage;
  /** Bytes per kind, enforced while streaming. */
  limits: Record<FileKind, number>;
  /** Where uploads stream to before they are accepted: DATA_DIR/tmp, on the same disk as the files. */
  tmpDir: string;
}

export function uploadOptions(config: Config, storage: FileStorage): UploadOptions {
  return { storage, limits: config.files, tmpDir: path.join(config.dataDir, 'tmp') };
}

/** A display name safe for Content-Disposition: no path, no control characters, bounded length. */
export function sanitiseName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // Control characters and quotes would break the header; drop them.
  const clean = [...base]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && ch !== '"')
    .join('')
    .trim();
  return [...(clean || 'file')].slice(0, 150).join('');
}

const extensionOf = (name: string) => name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';

/** A refusal that points at the form field, so the client can show it beside the file input. */
const refuse = (status: number, code: string, field: string, params: Record<string, unknown> = {}) =>
  new AppError(status, code, params, [{ path: field, code, ...params }]);

const tooLarge = (field: string, limit: number) =>
  refuse(413, 'file.too_large', field, { limit: Math.round((limit / 1024 / 1024) * 10) / 10, limitBytes: limit });

/**
 * Receives the one file of a multipart request; text fields must come before the file part to
 * be seen. Needs the multipartSupport plugin.
 */
export async function receiveUpload(
  request: FastifyRequest,
  options: UploadOptions,
): Promise<{ attachment: StoredAttachment; fields: Record<string, string> }> {
  if (!request.isMultipart()) {
    throw new AppError(415, 'request.unsupported_media_type', { type: request.headers['content-type'] ?? '' });
  }
  const part = await request.file().catch((error) => {
    throw uploadProblem(error, 'file', options) ?? error;
  });
  if (!part) throw new AppError(400, 'validation.failed', {}, [{ path: 'file', code: 'validation.required' }]);
  const attachment = await receiveFile(part, options);
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(part.fields)) {
    const field = Array.isArray(value) ? value[0] : value;
    if (field && field.type === 'field' && typeof field.value === 'string') fields[name] = field.value;
  }
  return { attachment, fields };
}

/**
 * Receives one uploaded file safely: the limit of the kind its name claims is enforced while
 * streaming (413); the content's magic bytes must agree with the name (415); images are
 * re-encoded — which drops EXIF and GPS — and thumbnailed, and pixel bombs refused (422). The
 * temporary file is removed on every path; only accepted bytes reach the storage.
 */
export async function receiveFile(part: MultipartFile, options: UploadOptions): Promise<StoredAttachment> {
  const field = part.fieldname || 'file';
  const originalName = sanitiseName(part.filename ?? '');
  const claimed = KIND_OF_EXTENSION.get(extensionOf(originalName));
  if (!claimed) {
    part.file.resume(); // drain the rest of the body; nothing of it is kept
    throw refuse(415, 'file.type_not_allowed', field, { type: extensionOf(originalName) || '?' });
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
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          if (size > limit) return done(tooLarge(field, limit));
          hash.update(chunk);
          done(null, chunk);
        },
      }),
      createWriteStream(temp),
    ).catch((error) => {
      throw uploadProblem(error, field, options, limit) ?? error;
    });
    if (part.file.truncated) throw tooLarge(field, limit);
    if (size === 0) throw refuse(400, 'file.empty', field);
    const detected = await fileTypeFromFile(temp);
    const accepted = detected ? ACCEPTED[detected.mime] : undefined;
    if (!detected || !accepted)
      throw refuse(415, 'file.type_not_allowed', field, { type: detected?.mime ?? 'unknown' });
    if (!accepted.extensions.includes(extensionOf(originalName))) {
      throw refuse(415, 'file.type_mismatch', field, { detected: detected.mime, name: originalName });
    }
    const id = newId();
    const storageKey = newStorageKey(id);
    if (accepted.kind !== 'image') {
      await options.storage.putFile(storageKey, temp, { contentType: detected.mime, sizeBytes: size });
      const common = { id, storageKey, thumbnailKey: null, width: null, height: null, originalName };
      return { ...common, kind: accepted.kind, mimeType: detected.mime, sizeBytes: size, sha256: hash.digest('hex') };
    }
    const image = await reencodeImage(temp, detected.mime, field);
    const thumbnailKey = thumbnailKeyOf(storageKey);
    await options.storage.put(storageKey, image.data, { contentType: image.mimeType });
    await options.storage.put(thumbnailKey, image.thumbnail, { contentType: THUMBNAIL_MIME }).catch(async (error) => {
      await options.storage.delete(storageKey);
      throw error;
    });
    return {
      id,
      kind: 'image',
      mimeType: image.mimeType,
      sizeBytes: image.data.length,
      sha256: createHash('sha256').update(image.data).digest('hex'),
      storageKey,
      thumbnailKey,
      width: image.width,
      height: image.height,
      // The stored file is what we encoded, so its name says so (a GIF is served as PNG).
      originalName: originalName.replace(/\.[a-z0-9]+$/i, `.${image.extension}`),
    };
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Maps what the multipart parser or the client did wrong to a 4xx; anything else (a full disk)
 * stays a server error.
 */
function uploadProblem(error: unknown, field: string, options: UploadOptions, limit?: number): AppError | null {
  if (error instanceof AppError) return error;
  const e = error as { code?: string; statusCode?: number; syscall?: string };
  if (e?.code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(field, limit ?? Math.max(...Object.values(options.limits)));
  if (e?.syscall) return null; // our own file system failed
  if (e?.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return new AppError(415, 'request.unsupported_media_type', { type: 'multipart/form-data' });
  }
  if (e?.statusCode === 413) return refuse(413, 'request.body_too_large', field, { limit: '' });
  return refuse(400, 'file.upload_malformed', field);
}
