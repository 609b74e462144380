import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema and OpenAPI objects are untyped JSON.
type Json = Record<string, any>;

declare module 'fastify' {
  interface FastifySchema {
    /** The 4xx statuses the route answers, when the rule in `failuresOf` would not say it right. */
    failures?: number[];
  }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** Each failure the error model (contracts/errors.ts) can answer, as a client reads it. */
const FAILURES: Record<string, { description: string; schema: 'Error' | 'ValidationError' }> = {
  400: {
    description:
      'Bad request: a field is invalid (`validation.failed`, one entry in `details` per field), or the JSON or the URL is malformed.',
    schema: 'ValidationError',
  },
  401: {
    description: 'Not signed in, or the session or API token is unknown or expired (`auth.unauthenticated`).',
    schema: 'Error',
  },
  403: {
    description:
      "Not allowed: the role's permission or the API token's scope does not cover it, the CSRF token of a cookie session is missing, or the password has expired.",
    schema: 'Error',
  },
  404: { description: 'No such resource, or not one the caller may see (`resource.not_found`).', schema: 'Error' },
  409: {
    description:
      'Conflict: the record changed since the `version` sent (`resource.stale_version`, with the current version), a duplicate, or a change its current state does not allow.',
    schema: 'Error',
  },
  422: {
    description:
      'A business rule refused the request (e.g. `auth.password_policy`, `workflow.invalid`); `details` says which.',
    schema: 'Error',
  },
  413: { description: 'The body is larger than the server accepts (`request.body_too_large`).', schema: 'Error' },
  415: { description: 'The body is not of a media type the operation takes.', schema: 'Error' },
  429: {
    description: 'Too many failed attempts (`auth.throttled`); retry after the `retry-after` seconds.',
    schema: 'Error',
  },
  503: { description: 'The database is unavailable (`database.unavailable`); retry later.', schema: 'Error' },
};

/**
 * The failures a route can answer, from what it is: every API route authenticates (a bad bearer
 * token is a 401) and reads the database; one that takes input validates it; a permission can be
 * refused; an id in the path can be unknown; a write can conflict or break a business rule
 * (status per ErrorCode and the table in docs/api.md). A route whose answers differ
 * (signing in) lists its own `failures`.
 */
function failuresOf(method: string, url: string, schema: Json, config: Json): string[] {
  const declared = Object.keys(schema.response ?? {});
  const api = url.startsWith('/api/v1/');
  const derived = schema.failures
    ? (schema.failures as number[]).map(String)
    : [
        (schema.body || schema.querystring || schema.params || WITH_BODY.has(method)) && '400',
        api && '401',
        api && (config.access || WRITES.has(method)) && '403',
        url.includes(':') && '404',
        api && WRITES.has(method) && '409',
        api && WRITES.has(method) && '422',
        WITH_BODY.has(method) && '413',
        WITH_BODY.has(method) && '415',
      ];
  return [...derived, api && '503'].filter((s): s is string => !!s && !declared.includes(s));
}

/** The English summary a module gives an operation (`POST`, `/api/v1/customers`), if any. */
export type SummaryOf = (method: string, url: string) => string | undefined;

/**
 * zod → JSON Schema for each operation, plus what a client generator needs to name it and handle
 * its failures: an `operationId` derived from method and path (`PATCH /api/v1/customers/:id` →
 * `patchCustomersById`), a `summary` from the route or its module (method and path when neither
 * gives one), and the error responses it can answer.
 */
export const describeOperation =
  (summaryOf: SummaryOf): SwaggerTransform =>
  (input) => {
    const out = jsonSchemaTransform(input as never) as { schema: Json; url: string };
    if (out.schema.hide) return out;
    const method = String(input.route.method).toUpperCase();
    const response: Json = Object.fromEntries(
      Object.entries<Json>(out.schema.response ?? {}).map(([status, schema]) => [
        status,
        described(schema, SUCCESS[status] ?? FAILURES[status]?.description ?? 'Default Response'),
      ]),
    );
    if (!Object.keys(response).some((status) => status.startsWith('2')))
      Object.assign(response, successOf(method, input.url));
    for (const status of failuresOf(method, input.url, input.schema as Json, input.route.config ?? {})) {
      const failure = FAILURES[status]!;
      response[status] = described({ $ref: `#/components/schemas/${failure.schema}` }, failure.description);
    }
    return {
      ...out,
      schema: {
        ...out.schema,
        response,
        operationId: out.schema.operationId ?? operationId(method.toLowerCase(), input.url),
        summary:
          out.schema.summary ??
          summaryOf(method, input.url) ??
          `${method} ${input.url.replace(/^\/api\/v1/, '').replace(/:(\w+)/g, '{$1}')}`,
      },
    };
  };

const SUCCESS: Record<string, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'Done; no content.' };

/**
 * A response schema with the sentence @fastify/swagger shows for it: it reads `description` beside
 * a `$ref` (the target replaces the rest) and its own extension on an inline schema, where a
 * `description` would also land in the schema.
 */
function described(schema: Json, text: string): Json {
  if (schema.description || schema['x-response-description']) return schema;
  return schema.$ref ? { ...schema, description: text } : { ...schema, 'x-response-description': text };
}

const FILE_TYPES: Record<string, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/**
 * A route that declares no success body answers a write with 204 and a read with a file: an
 * export in the type its name ends with, or a stored file (attachment, map) in its own type.
 */
function successOf(method: string, url: string): Json {
  if (WRITES.has(method)) return { 204: { type: 'null', description: 'Done; no content.' } };
  const type = FILE_TYPES[url.split('.').pop() ?? ''];
  if (!type)
    return { 200: { description: 'The stored file, in its own media type.', content: { '*/*': { schema: {} } } } };
  return {
    200: { description: 'The file.', content: { [type]: { schema: { type: 'string', contentMediaType: type } } } },
  };
}

function operationId(method: string, url: string): string {
  const words = url
    .replace(/^\/api(\/v1)?/, '')
    .split('/')
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? `by-${part.slice(1)}` : part))
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return [method, ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join('');
}

/**
 * Every schema registered with an id becomes a component, in an input and an output variant:
 * only those the operations reach stay, so the document describes this API and nothing else.
 */
export const describeComponents: SwaggerTransformObject = (input) => {
  const doc = jsonSchemaTransformObject(input) as Json;
  const schemas: Json = doc.components?.schemas ?? {};
  const reached = new Set<string>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const ref = (node as Json).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
      const name = ref.slice('#/components/schemas/'.length);
      if (!reached.has(name)) {
        reached.add(name);
        visit(schemas[name]);
      }
    }
    for (const child of Object.values(node)) visit(child);
  };
  visit(doc.paths);
  const kept = Object.fromEntries(
    Object.entries(schemas)
      .filter(([name]) => reached.has(name))
      .map(([name, schema]) => [name, withoutEmptyAlternatives(schema)]),
  );
  return { ...doc, paths: withoutEmptyAlternatives(doc.paths), components: { ...doc.components, schemas: kept } };
};

/**
 * `z.unknown().nullable()` becomes `anyOf: [{}, {type: null}]`: an alternative that matches
 * anything makes the others moot, so the property is written as what it is, any value.
 */
function withoutEmptyAlternatives<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withoutEmptyAlternatives) as T;
  if (!node || typeof node !== 'object') return node;
  const entries = Object.entries(node).map(([key, value]) => [key, withoutEmptyAlternatives(value)] as const);
  const object: Json = Object.fromEntries(entries);
  const anyOf = object.anyOf as unknown[] | undefined;
  if (anyOf?.some((alt) => alt && typeof alt === 'object' && Object.keys(alt).length === 0)) delete object.anyOf;
  return object as T;
}

/**
 * The document as committed in docs/openapi.json: paths and component schemas in alphabetical
 * order (so two branches adding routes touch different lines), two-space indented.
 */
export function documentText(doc: unknown): string {
  const { paths, components, ...rest } = doc as { paths: object; components?: { schemas?: object } };
  const sorted = {
    ...rest,
    paths: byKey(paths),
    components: { ...components, ...(components?.schemas ? { schemas: byKey(components.schemas) } : {}) },
  };
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

const byKey = (record: object) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
