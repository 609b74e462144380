import multipart from '@fastify/multipart';
import fp from 'fastify-plugin';
import type { FileKind } from './intake';
import { ensureFileMessages } from './messages';

export interface MultipartSupportOptions {
  /** Upload limits per kind, in bytes (config.files). */
  limits: Record<FileKind, number>;
}

/**
 * Multipart parsing for the whole app, tuned for attachments: one file per request, a few small
 * text fields. The per-kind size limit is enforced by receiveUpload while streaming; the parser's
 * own cap sits one byte above the largest kind so it only stops what nothing could accept.
 */
export const multipartSupport = fp<MultipartSupportOptions>(
  async (app, options) => {
    ensureFileMessages();
    await app.register(multipart, {
      limits: {
        files: 1,
        fields: 10,
        fieldSize: 16 * 1024,
        parts: 11,
        headerPairs: 100,
        fileSize: Math.max(...Object.values(options.limits)) + 1,
      },
    });
    // A refused upload is answered before its body has arrived. Like Fastify's own body-limit
    // errors, close the connection after the answer rather than leave the client pushing the rest
    // of a 200 MB video into a socket no one reads.
    app.addHook('onSend', async (request, reply) => {
      if (reply.statusCode >= 400 && request.isMultipart() && !request.raw.complete)
        reply.header('connection', 'close');
    });
  },
  { name: 'serviceloop-multipart', fastify: '5.x' },
);
