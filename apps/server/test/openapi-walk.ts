/**
 * Reads the application's own OpenAPI document so whole-API tests cover every operation and
 * every field the day it is added: which operations exist, and where each one takes a string.
 */

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema is untyped JSON.
type Schema = Record<string, any>;
export interface OpenApiDocument {
  paths: Record<string, Record<string, Schema>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify's form of the path (`/api/v1/customers/:id`). */
  url: string;
  operation: Schema;
}

/** Where a string goes: a path or query parameter by name, or a field of the JSON body by path. */
export type StringSlot = { in: 'params' | 'querystring'; name: string } | { in: 'body'; path: (string | number)[] };

export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      method: method.toUpperCase() as Operation['method'],
      url: path.replace(/\{(\w+)\}/g, ':$1'),
      operation,
    })),
  );
}

export function requestBodySchema(op: Operation): Schema | undefined {
  return op.operation.requestBody?.content?.['application/json']?.schema;
}

/** Every place the operation accepts a string: its parameters and each string field of its body. */
export function stringSlots(doc: OpenApiDocument, op: Operation): StringSlot[] {
  const params: StringSlot[] = (op.operation.parameters ?? [])
    .filter((p: Schema) => (p.in === 'path' || p.in === 'query') && takesString(doc, p.schema))
    .map((p: Schema) => ({ in: p.in === 'path' ? 'params' : 'querystring', name: p.name }));
  const body = requestBodySchema(op);
  const fields = body ? stringPaths(doc, body).map((path): StringSlot => ({ in: 'body', path })) : [];
  return [...params, ...fields];
}

/** The request body that carries `value` at `path` and nothing else. */
export function bodyWith(path: (string | number)[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => (typeof key === 'number' ? [inner] : { [key]: inner }), value);
}

export function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  const ref = schema?.$ref as string | undefined;
  if (!ref) return schema ?? {};
  const name = ref.replace('#/components/schemas/', '');
  const target = doc.components?.schemas?.[name];
  if (!target) throw new Error(`unresolvable $ref ${ref}`);
  return target;
}

function takesString(doc: OpenApiDocument, raw: Schema): boolean {
  const schema = resolve(doc, raw);
  const types = [schema.type].flat();
  if (types.includes('string')) return true;
  return [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].some((s: Schema) => takesString(doc, s));
}

/** Paths to the string fields of a JSON Schema, following refs, unions, arrays and maps (to a depth). */
function stringPaths(doc: OpenApiDocument, raw: Schema, depth = 0): (string | number)[][] {
  if (depth > 6) return [];
  const schema = resolve(doc, raw);
  const found: (string | number)[][] = [];
  if ([schema.type].flat().includes('string')) found.push([]);
  for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) {
    found.push(...stringPaths(doc, branch, depth + 1));
  }
  for (const [key, sub] of Object.entries<Schema>(schema.properties ?? {})) {
    found.push(...stringPaths(doc, sub, depth + 1).map((p) => [key, ...p]));
  }
  if (schema.items) found.push(...stringPaths(doc, schema.items, depth + 1).map((p) => [0, ...p]));
  if (typeof schema.additionalProperties === 'object') {
    found.push(...stringPaths(doc, schema.additionalProperties, depth + 1).map((p) => ['key', ...p]));
  }
  // Unions repeat the same path in several branches: keep each once.
  return [...new Map(found.map((p) => [JSON.stringify(p), p])).values()];
}
