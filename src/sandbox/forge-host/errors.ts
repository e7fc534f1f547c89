/** Errors of the local Forge host carry a machine-readable code. */
export type ForgeHostErrorCode =
  'MANIFEST_INVALID' | 'HANDLER_NOT_FOUND' | 'OUTSIDE_INVOCATION' | 'UNKNOWN_MODULE' | 'UNKNOWN_REMOTE' | 'BAD_REQUEST' | 'FUNCTION_TIMEOUT';

export class ForgeHostError extends Error {
  constructor(
    readonly code: ForgeHostErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ForgeHostError';
  }
}

/** A log line about a failure: name and code only, never the message (it may quote app data). */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' || typeof code === 'number' ? `${err.name} (${code})` : err.name;
  }
  return typeof err;
}
