import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import scalar from '@scalar/fastify-api-reference';
import { ErrorBody, ErrorCode } from '@serviceloop/contracts';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import helmet from 'helmet';
import { z } from 'zod';
import { mapTileOrigins } from '../config';
import { DatabaseUnavailable, outageReason } from '../db/availability';
import { ping } from '../db/client';
import { multipartSupport } from '../files/plugin';
import { localeFrom, translate } from '../i18n';
import { newId } from '../ids';
import type { Platform } from '../index';
import { handleError } from './error-handler';
import { AppError } from './errors';
import { describeComponents, describeOperation, type SummaryOf } from './openapi';
import { serializerCompiler, validatorCompiler } from './validation';
import './actor';

export type HttpApp = FastifyInstance<
  // biome-ignore lint/suspicious/noExplicitAny: fastify's server generics are not ours to narrow.
  any,
  // biome-ignore lint/suspicious/noExplicitAny: idem.
  any,
  // biome-ignore lint/suspicious/noExplicitAny: idem.
  any,
  FastifyInstance['log'],
  ZodTypeProvider
>;

export interface RouteEntry {
  method: string;
  url: string;
  config: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeCatalog: RouteEntry[];
  }
}

/** What a business module contributes to the HTTP surface. */
export interface HttpModule {
  name: string;
  /** Root-level hooks (e.g. authentication); run before any route of any module. */
  hooks?: (app: HttpApp) => void | Promise<void>;
  /** Routes, mounted under `/api/v1`. */
  routes?: (app: HttpApp) => void | Promise<void>;
  /** One-line English summaries of operations for the OpenAPI document. */
  summaryOf?: SummaryOf;
}

const HEALTH_TIMEOUT_MS = 1_500;

/** `promise`, or a `timeout` outage once `ms` have passed. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailable('timeout')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function buildHttpApp(platform: Platform, modules: HttpModule[]): Promise<HttpApp> {
  const { config } = platform;
  const app = Fastify({
    loggerInstance: platform.log,
    bodyLimit: config.bodyLimit,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : newId();
    },
    // The client's address (login throttling, audit) and scheme (Secure cookies) come from
    // X-Forwarded-* only when a configured proxy sent them; anyone else could forge them.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    // A path that is not UTF-8 (e.g. the bytes of a lone surrogate) gets the usual error body.
    frameworkErrors: (error, request, reply) => handleError(error, request, reply),
  }).withTypeProvider<ZodTypeProvider>() as HttpApp;

  // Every route with its config, for tests that walk the whole API (bad input, permissions).
  const routes: RouteEntry[] = [];
  app.decorate('routeCatalog', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD')
        routes.push({ method, url: route.url, config: (route.config ?? {}) as Record<string, unknown> });
    }
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('actor', null);
  app.decorateRequest('locale', 'zh-CN');
  app.addHook('onRequest', async (request, reply) => {
    request.locale = localeFrom(request.headers['accept-language']);
    reply.header('x-request-id', request.id);
  });
  app.setErrorHandler(handleError);
  // A request that found the database away starts the outage the log reports (once) and health shows.
  app.addHook('onError', async (_request, _reply, error) => {
    platform.database.availability.noticed(error);
  });
  app.setNotFoundHandler((request, reply) => {
    // The page for any client-side route; but a hashed asset that is gone (a page of an older
    // release asking for its chunk) is a 404, never the page in its place, so the app can reload.
    if (!request.url.startsWith('/api/') && !request.url.startsWith('/assets/') && spaIndex)
      return reply.sendFile('index.html');
    return reply.status(404).send({
      code: ErrorCode.routeNotFound,
      message: translate(ErrorCode.routeNotFound, request.locale, {
        method: request.method,
        url: request.url.split('?')[0],
      }),
      requestId: request.id,
    });
  });

  // Security headers, with the policies built once: @fastify/helmet rebuilt them (re-parsing the
  // CSP) on every request, a measurable share of a ticket create. Over plain HTTP (a trial on
  // http://<intranet address>, a phone scanning a QR label) `upgrade-insecure-requests` would send
  // every script to https and leave a blank page, and HSTS is meaningless: both only over HTTPS,
  // direct or as told by a trusted proxy (request.protocol honours X-Forwarded-Proto then).
  const securityHeaders = (https: boolean) =>
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // antd injects its CSS-in-JS as <style> elements.
          styleSrc: ["'self'", "'unsafe-inline'"],
          // Map tiles of the location picker come from their own (configured) servers.
          imgSrc: ["'self'", 'data:', 'blob:', ...mapTileOrigins(config.mapTiles)],
          scriptSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: https ? [] : null,
        },
      },
      strictTransportSecurity: https,
      crossOriginEmbedderPolicy: false,
    });
  const overHttps = securityHeaders(true);
  const overHttp = securityHeaders(false);
  app.addHook('onRequest', (request, reply, done) =>
    (request.protocol === 'https' ? overHttps : overHttp)(request.raw, reply.raw, (err) =>
      done(err as Error | undefined),
    ),
  );
  await app.register(cookie);
  // Attachments: one file per request, its size capped again per kind while streaming.
  await app.register(multipartSupport, { limits: config.files });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ServiceLoop API',
        version: '1.0.0',
        description:
          'After-sales service management. Errors: `{ code, message, details }`, localised by Accept-Language.',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      // Paths carry their /api/v1 prefix: the server is wherever the document was fetched from.
      servers: [{ url: '/', description: 'This ServiceLoop server' }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'sl_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: describeOperation((method, url) => modules.map((m) => m.summaryOf?.(method, url)).find(Boolean)),
    // The schemas the operations `$ref` (those with a `.meta({ id })`) land in components.schemas.
    transformObject: describeComponents,
  });

  for (const module of modules) await module.hooks?.(app);

  // Answers within HEALTH_TIMEOUT_MS even when the database hangs; 503 names the outage and its start.
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['platform'],
        security: [],
        response: { 200: z.object({ status: z.literal('ok'), database: z.string() }), 503: ErrorBody },
      },
    },
    async () => {
      const { availability, kind } = platform.database;
      try {
        await within(HEALTH_TIMEOUT_MS, ping(platform.db));
        availability.recovered();
        return { status: 'ok' as const, database: kind };
      } catch (error) {
        availability.noticed(error);
        const reason = outageReason(error) ?? 'unknown';
        const since = availability.outage?.since.toISOString() ?? null;
        throw new AppError(503, ErrorCode.databaseUnavailable, { reason }, { database: kind, reason, since });
      }
    },
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(scalar, {
    routePrefix: '/api/docs',
    configuration: { url: '/api/openapi.json' },
    logLevel: 'warn',
    hooks: {
      // The reference page runs its own bundled script and styles.
      onRequest: async (_request, reply) => {
        reply.header('content-security-policy', "default-src 'self' 'unsafe-inline' data: blob:");
      },
    },
  });

  await app.register(
    async (api) => {
      for (const module of modules) await module.routes?.(api as HttpApp);
    },
    { prefix: '/api/v1' },
  );

  // A relative WEB_DIST is taken from the working directory, as a shell user means it.
  const webDist = path.resolve(process.cwd(), config.webDist ?? 'apps/web/dist');
  const spaIndex = existsSync(path.join(webDist, 'index.html'));
  if (spaIndex)
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: 'index.html',
      // The build writes .br and .gz beside each file: sent as they are, never compressed per request.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, file) => {
        reply.header('cache-control', cacheControlFor(webDist, file));
      },
    });

  return app;
}

/**
 * Hashed assets never change under their name: cached for a year without asking again. Everything
 * else (the page, the service worker) is revalidated, so a new release is seen on the next load.
 */
export function cacheControlFor(webDist: string, file: string): string {
  return path.relative(webDist, file).startsWith(`assets${path.sep}`)
    ? 'public, max-age=31536000, immutable'
    : 'no-cache';
}
