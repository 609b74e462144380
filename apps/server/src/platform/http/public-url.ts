import type { FastifyRequest } from 'fastify';
import type { Config } from '../config';

/**
 * The address people reach the app at, for links that leave it (mail, QR labels): PUBLIC_URL when
 * set — behind a proxy the request's own host may be an internal name — else the request's origin.
 */
export function publicUrl(config: Config, request?: FastifyRequest): string {
  if (config.publicUrl) return config.publicUrl;
  if (request) return `${request.protocol}://${request.host}`;
  return `http://localhost:${config.port}`;
}
