import type { ErrorCode } from '../protocol/customer-ws.js';

/** An error a client may see: a machine-readable code and a message without secrets or text. */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryable = code === 'unavailable',
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** Maps anything thrown to what a client may be told; store outages become `unavailable`. */
export function toServiceError(err: unknown): ServiceError {
  if (err instanceof ServiceError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'store_unavailable') return new ServiceError('unavailable', 'the service cannot reach its store; try again shortly');
  return new ServiceError('internal', 'internal error');
}
