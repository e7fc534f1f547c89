/**
 * One error type for the whole app: a machine-readable code plus the HTTP status the
 * webtrigger answers with. Resolvers rethrow it as a plain Error whose message starts
 * with the code, so Custom UIs can branch on `err.message.split(':')[0]`.
 */
import { issuePath } from '../../protocol/issues.js';

export type AppErrorCode = 'invalid' | 'forbidden' | 'not_found' | 'not_configured' | 'not_linked' | 'jira_error' | 'remote_error' | 'busy' | 'internal';

const STATUS: Record<AppErrorCode, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  not_configured: 409,
  not_linked: 503,
  jira_error: 502,
  remote_error: 502,
  busy: 503,
  internal: 500,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: AppErrorCode,
    message: string,
    status?: number,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = status ?? STATUS[code];
  }
}

export const forbidden = (why: string): AppError => new AppError('forbidden', why);
export const notFound = (what: string): AppError => new AppError('not_found', what);

/** Bounded: a rejection names fields, it never carries the input (record keys are the caller's: issuePath hides them). */
const MAX_ISSUES_CHARS = 500;

/** Turns a zod failure into one readable line: "text: message text is empty; clientMsgId: ...". */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${issuePath(i.path)}: ${i.message}` : i.message))
    .join('; ')
    .slice(0, MAX_ISSUES_CHARS);
}
