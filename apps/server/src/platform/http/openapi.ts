import type { SwaggerTransform } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * zod → JSON Schema for each operation, plus what a client generator needs to name it: an
 * `operationId` and a `summary`, derived from method and path unless the route gives its own
 * (`PATCH /api/v1/customers/:id` → `patchCustomersById`, "PATCH /customers/{id}").
 */
export const describeOperation: SwaggerTransform = (input) => {
  const out = jsonSchemaTransform(input as never) as { schema: Record<string, unknown>; url: string };
  if (out.schema.hide) return out;
  const method = String(input.route.method).toLowerCase();
  return {
    ...out,
    schema: {
      ...out.schema,
      operationId: out.schema.operationId ?? operationId(method, input.url),
      summary:
        out.schema.summary ??
        `${method.toUpperCase()} ${input.url.replace(/^\/api\/v1/, '').replace(/:(\w+)/g, '{$1}')}`,
    },
  };
};

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
