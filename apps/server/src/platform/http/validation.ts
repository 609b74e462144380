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

export const validatorCompiler: FastifySchemaCompiler<$ZodType> =
  ({ schema }) =>
  (data) => {
    const result = safeParse(schema, data, { reportInput: true });
    return result.error ? { error: new RequestValidationError(result.error.issues) } : { value: result.data };
  };

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
