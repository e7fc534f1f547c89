/**
 * Errors carry the HTTP status and a machine-readable code; the router renders them
 * in the dialect of the API that was called (platform or servicedeskapi).
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'CONFLICT'
  | 'BAD_JSON'
  | 'TOO_LARGE'
  | 'METHOD_NOT_ALLOWED'
  | 'GONE'
  | 'RATE_LIMITED'
  | 'INTERNAL';

export class JiraError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** Per-field messages (platform `errors`). */
    readonly fields: Record<string, string> = {},
    /** i18n key used by servicedeskapi bodies. */
    readonly i18nKey?: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, fields: Record<string, string> = {}, i18nKey?: string) =>
  new JiraError(400, 'BAD_REQUEST', message, fields, i18nKey);
export const fieldError = (field: string, message: string) => new JiraError(400, 'BAD_REQUEST', '', { [field]: message });
export const notFound = (message: string, i18nKey?: string) => new JiraError(404, 'NOT_FOUND', message, {}, i18nKey);
export const forbidden = (message: string, i18nKey?: string) => new JiraError(403, 'FORBIDDEN', message, {}, i18nKey);
export const unauthenticated = () => new JiraError(401, 'UNAUTHENTICATED', 'You are not authenticated. Authentication required to perform this operation.');

export type Dialect = 'platform' | 'servicedesk';

/** `{"errorMessages":[...],"errors":{...}}` or `{"errorMessage":...,"i18nErrorMessage":{...}}`. */
export function errorBody(err: JiraError, dialect: Dialect): object {
  if (dialect === 'servicedesk') {
    const message = err.message || Object.values(err.fields).join(' ');
    return {
      errorMessage: message,
      i18nErrorMessage: { i18nKey: err.i18nKey ?? `sd.error.${err.code.toLowerCase()}`, parameters: [] },
    };
  }
  return { errorMessages: err.message ? [err.message] : [], errors: err.fields };
}
