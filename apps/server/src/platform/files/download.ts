import type { FastifyReply } from 'fastify';
import { notFound } from '../http/errors';
import { THUMBNAIL_MIME } from './image';
import type { StoredAttachment } from './intake';
import { FileNotFound, type FileStorage } from './storage';

export type DownloadableAttachment = Pick<
  StoredAttachment,
  'kind' | 'mimeType' | 'storageKey' | 'thumbnailKey' | 'originalName'
>;

/** RFC 5987/6266 header value: a UTF-8 name for browsers, an ASCII fallback for the rest. */
export function contentDisposition(disposition: 'inline' | 'attachment', name: string): string {
  const ascii = [...name].map((ch) => (/[\x20-\x7e]/.test(ch) && ch !== '"' && ch !== '\\' ? ch : '_')).join('');
  // encodeURIComponent leaves ' ( ) * ! which RFC 5987's attr-char does not allow.
  const encoded = encodeURIComponent(name).replace(
    /['()*!]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Streams a stored attachment so that it can never run in our origin: it downloads as an
 * attachment (only images we re-encoded, and their thumbnails, may show inline), the browser may
 * not sniff another type, and a sandboxing CSP disarms even a mislabelled file. The caller has
 * already checked that the user may see it.
 */
export async function sendAttachment(
  reply: FastifyReply,
  storage: FileStorage,
  attachment: DownloadableAttachment,
  options: { inline?: boolean; variant?: 'original' | 'thumbnail' } = {},
): Promise<FastifyReply> {
  const thumbnail = options.variant === 'thumbnail';
  const key = thumbnail ? attachment.thumbnailKey : attachment.storageKey;
  if (!key) throw notFound('attachment');
  const stored = await storage.get(key).catch((error) => {
    throw error instanceof FileNotFound ? notFound('attachment') : error;
  });
  const inline = options.inline === true && attachment.kind === 'image';
  const name = thumbnail ? attachment.originalName.replace(/(\.[a-z0-9]+)?$/i, '.webp') : attachment.originalName;
  return reply
    .header('content-type', thumbnail ? THUMBNAIL_MIME : attachment.mimeType)
    .header('content-length', stored.sizeBytes)
    .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', name))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'")
    .header('cache-control', 'private, max-age=3600')
    .send(stored.body);
}
