/**
 * Atlassian's Personal data reporting API as the local host serves it behind
 * `privacy.reportPersonalData` (@forge/api 8.3.0 POSTs `{accounts:[{accountId, updatedAt}]}`
 * to `/app/report-accounts` through `__forge_fetch__` with target {type:'fpp', provider:'app',
 * remote:'stargate'}, 90 accounts per request).
 *
 * Followed:
 * - https://developer.atlassian.com/platform/forge/user-privacy-guidelines/ : "Each request
 *   allows up to 90 accounts to be reported on"; accountId is 1-128 characters, alphanumeric,
 *   '-' and ':'; 200 `{accounts:[{accountId, status:'closed'|'updated'}]}` lists only the
 *   accounts that need action, 204 when none does.
 * - https://developer.atlassian.com/platform/forge/runtime-reference/privacy-api/ : the
 *   answer names accounts "updated ... after the updatedAt time" or closed.
 * - https://developer.atlassian.com/platform/forge/manifest-reference/scopes-forge/ :
 *   `report:personal-data` "Enables the User privacy API".
 * Docs silent, so strict: an empty list, duplicate ids, unknown fields and an updatedAt that
 * is not an RFC 3339 date-time with offset are 400s; a missing scope is 403.
 *
 * Account state is global at Atlassian (an accountId is the same person on every site), so
 * a directory can be shared by several hosts; tests close or update accounts on it.
 */
import { z } from 'zod';
import { PRIVACY_REPORT_MAX_ACCOUNTS } from './limits.js';

export const REPORT_ACCOUNTS_PATH = '/app/report-accounts';
export const PRIVACY_SCOPE = 'report:personal-data';

const AccountIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9:-]+$/);
const ReportBody = z
  .object({
    accounts: z
      .array(z.object({ accountId: AccountIdSchema, updatedAt: z.string().datetime({ offset: true }) }).strict())
      .min(1)
      .max(PRIVACY_REPORT_MAX_ACCOUNTS),
  })
  .strict();

interface AccountState {
  closedAt?: number;
  updatedAt?: number;
}

/** What a test reads back: each request the app made, by account ids only. */
export interface PrivacyReport {
  accountIds: string[];
  answered: number;
}

export class AccountDirectory {
  private readonly state = new Map<string, AccountState>();
  readonly reports: PrivacyReport[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** The person closed their Atlassian account: every later report answers `closed`. */
  close(accountId: string, at = this.now()): void {
    this.state.set(accountId, { ...this.state.get(accountId), closedAt: at });
  }

  /** The person changed their profile at `at`: reports with an older updatedAt answer `updated`. */
  update(accountId: string, at = this.now()): void {
    this.state.set(accountId, { ...this.state.get(accountId), updatedAt: at });
  }

  statusOf(accountId: string, reportedUpdatedAt: number): 'closed' | 'updated' | null {
    const s = this.state.get(accountId);
    if (s?.closedAt !== undefined) return 'closed';
    if (s?.updatedAt !== undefined && s.updatedAt > reportedUpdatedAt) return 'updated';
    return null;
  }

  /** Serves one `POST /app/report-accounts` request. */
  async handle(method: string, init: RequestInit | undefined, scopes: ReadonlySet<string>): Promise<Response> {
    if (!scopes.has(PRIVACY_SCOPE))
      return Response.json({ code: 403, message: `Unauthorized; the app's manifest does not declare scope "${PRIVACY_SCOPE}".` }, { status: 403 });
    if (method !== 'POST') return Response.json({ code: 405, message: 'Method not allowed; use POST.' }, { status: 405 });
    let raw: unknown;
    try {
      raw = JSON.parse(String(init?.body ?? ''));
    } catch {
      return badRequest('request body must be JSON');
    }
    const parsed = ReportBody.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return badRequest(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
    }
    const ids = parsed.data.accounts.map((a) => a.accountId);
    if (new Set(ids).size !== ids.length) return badRequest('accounts: an accountId appears more than once');
    const answer = parsed.data.accounts.flatMap((a) => {
      const status = this.statusOf(a.accountId, Date.parse(a.updatedAt));
      return status ? [{ accountId: a.accountId, status }] : [];
    });
    this.reports.push({ accountIds: ids, answered: answer.length });
    if (answer.length === 0) return new Response(null, { status: 204 });
    return Response.json({ accounts: answer }, { status: 200 });
  }
}

function badRequest(message: string): Response {
  return Response.json({ code: 400, message }, { status: 400 });
}
