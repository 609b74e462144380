import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import { type $ZodIssue, type $ZodType, safeEncode, safeParse } from 'zod/v4/core';

/** Carries zod's issues to the error handler, which localises them per request. */
export class RequestValidationError extends Error {
  readonly statusCode = 400;
  readonly code = 'FST_ERR_VALIDATION';
  validationContext?: string;
  constructor(readonly issues: $ZodIssue[]) {
    super('request validation failed');
  }
}

/**
 * Every request part a route declares is parsed by its contract, and refused (400, naming each
 * field) when it carries what the contract cannot keep: strings with a NUL byte or a lone UTF-16
 * surrogate (PostgreSQL stores neither), and — in a body — fields the contract does not know,
 * which zod would otherwise drop silently, losing an integration's misspelt data without a word.
 */
export const validatorCompiler: FastifySchemaCompiler<$ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const unsafe = unstorableStrings(data);
    if (unsafe.length > 0) return { error: new RequestValidationError(unsafe) };
    const result = safeParse(schema, data, { reportInput: true });
    if (httpPart !== 'body') {
      return result.error ? { error: new RequestValidationError(result.error.issues) } : { value: result.data };
    }
    // Unknown fields of an otherwise invalid body are named too (those at its top level),
    // so one answer lists everything to fix.
    const unknown = result.error ? undeclaredKeys(schema, data) : unknownFields(data, result.data);
    const issues = [...(result.error?.issues ?? []), ...unknown];
    return issues.length > 0 ? { error: new RequestValidationError(issues) } : { value: result.data };
  };

/** A NUL byte, or a UTF-16 surrogate without its pair (`isWellFormed` is ES2024; Node 20 has it). */
const unstorable = (text: string) =>
  text.includes('\0') || !(text as string & { isWellFormed(): boolean }).isWellFormed();

/** Every string (value or key) anywhere in the input that text columns cannot store. */
export function unstorableStrings(input: unknown, path: PropertyKey[] = []): $ZodIssue[] {
  if (typeof input === 'string') {
    return unstorable(input)
      ? [{ code: 'custom', path, message: 'validation.unstorable_text', input: undefined } as $ZodIssue]
      : [];
  }
  if (typeof input !== 'object' || input === null) return [];
  return Object.entries(input).flatMap(([key, value]) => {
    const at = [...path, Array.isArray(input) ? Number(key) : key];
    return unstorable(key)
      ? [{ code: 'custom', path: at, message: 'validation.unstorable_text', input: undefined } as $ZodIssue]
      : unstorableStrings(value, at);
  });
}

/**
 * The keys of the input its contract dropped: present in what was sent, absent from what was
 * parsed. Comparing the two (rather than making every schema strict) honours the few contracts
 * that keep extra keys on purpose (records, loose objects) and needs no change to any contract.
 */
export function unknownFields(sent: unknown, parsed: unknown, path: PropertyKey[] = []): $ZodIssue[] {
  if (!isPlainObject(sent) && !Array.isArray(sent)) return [];
  if (Array.isArray(sent)) {
    // A contract that reshapes an array (e.g. removes duplicates) leaves nothing to compare by position.
    if (!Array.isArray(parsed) || parsed.length !== sent.length) return [];
    return sent.flatMap((item, i) => unknownFields(item, parsed[i], [...path, i]));
  }
  if (!isPlainObject(parsed)) return [];
  return Object.entries(sent).flatMap(([key, value]) =>
    Object.hasOwn(parsed, key) ? unknownFields(value, parsed[key], [...path, key]) : [unrecognized(path, key)],
  );
}

/** The top-level keys of the input an object contract (one that strips extra keys) does not declare. */
function undeclaredKeys(schema: $ZodType, input: unknown): $ZodIssue[] {
  const def = schema._zod.def as { type: string; shape?: Record<string, unknown>; catchall?: unknown };
  if (def.type !== 'object' || def.catchall || !isPlainObject(input)) return [];
  return Object.keys(input)
    .filter((key) => !Object.hasOwn(def.shape!, key))
    .map((key) => unrecognized([], key));
}

const unrecognized = (path: PropertyKey[], key: string) =>
  ({
    code: 'unrecognized_keys',
    keys: [key],
    path,
    message: 'validation.unknown_field',
    input: undefined,
  }) as $ZodIssue;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Responses are checked against their contract, with one allowance: a field may be absent,
 * because the permission policy can hide any field from a role (admins configure which), and
 * a hidden field is left out rather than faked. Anything else off-contract is a server bug.
 */
export const serializerCompiler: FastifySerializerCompiler<$ZodType> =
  ({ schema, method, url }) =>
  (data) => {
    const result = safeEncode(schema, data, { reportInput: true });
    if (!result.error) return JSON.stringify(result.data);
    const onlyAbsent = result.error.issues.every(
      (i) => i.code === 'invalid_type' && (i as { input?: unknown }).input === undefined,
    );
    if (onlyAbsent) return JSON.stringify(data);
    throw new Error(
      `response of ${method} ${url} breaks its contract: ${JSON.stringify(result.error.issues.slice(0, 3))}`,
    );
  };
