import { ErrorCode } from '@serviceloop/contracts';

/**
 * An expected failure with a stable code. The HTTP layer turns it into
 * `{ code, message, details }` with the message in the reader's language.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: Record<string, unknown> = {},
    readonly details?: unknown,
  ) {
    super(code);
  }
}

export const notFound = (resource: string) => new AppError(404, ErrorCode.notFound, { resource });
export const forbidden = () => new AppError(403, ErrorCode.forbidden);
export const unauthenticated = () => new AppError(401, ErrorCode.unauthenticated);
export const staleVersion = (current: number, changes?: unknown) =>
  new AppError(409, ErrorCode.staleVersion, { current }, { currentVersion: current, changes });
export const duplicate = (field: string) => new AppError(409, ErrorCode.duplicate, { field }, [{ path: field }]);
