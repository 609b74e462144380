import { z } from 'zod';

/**
 * The one error body every API failure answers with. `message` is localised by
 * Accept-Language; `code` is stable and what clients branch on.
 */
export const ErrorBody = z
  .object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** One offending field in a validation failure: `path` is dotted (`contacts.0.mobile`). */
export const FieldError = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
});
export type FieldError = z.infer<typeof FieldError>;

/** A 400: `validation.failed` names each offending field; a malformed body or URL carries no details. */
export const ValidationErrorBody = ErrorBody.extend({ details: z.array(FieldError).optional() }).meta({
  id: 'ValidationError',
});
export type ValidationErrorBody = z.infer<typeof ValidationErrorBody>;

export const ErrorCode = {
  validation: 'validation.failed',
  malformedJson: 'request.malformed_json',
  malformedUrl: 'request.malformed_url',
  bodyTooLarge: 'request.body_too_large',
  unsupportedMediaType: 'request.unsupported_media_type',
  notFound: 'resource.not_found',
  routeNotFound: 'route.not_found',
  conflict: 'resource.conflict',
  staleVersion: 'resource.stale_version',
  duplicate: 'resource.duplicate',
  unauthenticated: 'auth.unauthenticated',
  invalidCredentials: 'auth.invalid_credentials',
  throttled: 'auth.throttled',
  csrf: 'auth.csrf_failed',
  forbidden: 'auth.forbidden',
  passwordPolicy: 'auth.password_policy',
  passwordExpired: 'auth.password_expired',
  tokenScope: 'auth.token_scope',
  databaseUnavailable: 'database.unavailable',
  internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
