import { ErrorCode, type FieldError } from '@serviceloop/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { outageReason } from '../db/availability';
import { hasMessage, issueMessage, type Locale, translate } from '../i18n';
import { AppError } from './errors';
import { RequestValidationError } from './validation';

interface Problem {
  status: number;
  code: string;
  params?: Record<string, unknown>;
  details?: unknown;
}

/** Every failure leaves as `{ code, message, details, requestId }`; only the unexpected is a 500. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = errorBody(error, request.locale ?? 'zh-CN');
  const outage = body.code === ErrorCode.databaseUnavailable;
  // An outage is logged once by the availability watch, not with a stack per request.
  if (status >= 500 && !outage) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: body.code, status }, 'request refused');
  if (outage) reply.header('retry-after', '5');
  return reply.status(status).send({ ...body, requestId: request.id });
}

/**
 * A failure as the reader sees it: its status and `{ code, message, details }` in their language.
 * Also what each item of a bulk request reports when it alone fails.
 */
export function errorBody(error: unknown, locale: Locale) {
  const problem = classify(error, locale);
  const params = { ...problem.params };
  if (typeof params.resource === 'string' && hasMessage(`entity.${params.resource}`)) {
    params.resource = translate(`entity.${params.resource}`, locale);
  }
  if (problem.code === ErrorCode.databaseUnavailable) {
    params.reason = translate(`database.outage.${params.reason}`, locale);
  }
  return {
    status: problem.status,
    body: {
      code: problem.code,
      message: translate(problem.code, locale, params),
      ...(problem.details === undefined ? {} : { details: localiseDetails(problem.details, locale) }),
    },
  };
}

/** Field errors raised by services carry message keys (or codes); readers get sentences. */
function localiseDetails(details: unknown, locale: Locale): unknown {
  if (!Array.isArray(details)) return details;
  return details.map((d) => {
    if (typeof d !== 'object' || d === null) return d;
    const { message, code } = d as { message?: string; code?: string };
    const key = message && hasMessage(message) ? message : code && hasMessage(code) ? code : null;
    return key ? { ...d, message: translate(key, locale, d as Record<string, unknown>) } : d;
  });
}

function classify(error: unknown, locale: Locale): Problem {
  if (error instanceof AppError)
    return { status: error.status, code: error.code, params: error.params, details: error.details };
  if (error instanceof RequestValidationError) {
    return { status: 400, code: ErrorCode.validation, details: fieldErrors(error, locale) };
  }
  const e = error as FastifyError & { type?: string };
  switch (e?.code) {
    case 'FST_ERR_BAD_URL':
      return { status: 400, code: ErrorCode.malformedUrl };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: ErrorCode.malformedJson };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: ErrorCode.bodyTooLarge, params: { limit: (e as { limit?: number }).limit ?? '' } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 415, code: ErrorCode.unsupportedMediaType, params: { type: '' } };
  }
  // JSON.parse failures surface as SyntaxError with a 400 status from the body parser.
  if (e instanceof SyntaxError || e?.statusCode === 400) return { status: 400, code: ErrorCode.malformedJson };
  if (e?.statusCode === 413) return { status: 413, code: ErrorCode.bodyTooLarge, params: { limit: '' } };
  if (e?.statusCode === 415) return { status: 415, code: ErrorCode.unsupportedMediaType, params: { type: '' } };
  if (isUniqueViolation(error)) return { status: 409, code: ErrorCode.conflict };
  const reason = outageReason(error);
  if (reason) return { status: 503, code: ErrorCode.databaseUnavailable, params: { reason }, details: { reason } };
  return { status: 500, code: ErrorCode.internal };
}

function fieldErrors(error: RequestValidationError, locale: Locale): FieldError[] {
  const where = error.validationContext;
  const at = (path: PropertyKey[]) => [where === 'body' ? null : where, ...path.map(String)].filter(Boolean).join('.');
  return error.issues.flatMap((issue): FieldError[] =>
    // One detail per unknown key, at the key's own path, so a client can point at each.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: at([...issue.path, key]),
          code: issue.code,
          message: translate('validation.unknown_field', locale),
        }))
      : [{ path: at(issue.path), code: issue.code, message: issueMessage(issue, locale) }],
  );
}

/** A unique index refused a write the service didn't foresee: a conflict, not a crash. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}
