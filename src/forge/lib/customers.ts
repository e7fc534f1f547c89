/**
 * Finding or creating the JSM customer behind a chat.
 *
 * JSM customers need an email address. Visitors without one (anonymous web chats,
 * WhatsApp contacts) get a placeholder address under the reserved `.invalid` top-level
 * domain (RFC 2606), so JSM can never mail a stranger:
 *   - WhatsApp: `wa-<waId>@whatsapp.invalid` (stable, so one phone is one customer);
 *   - web, no email: `visitor-<clientMsgId>@chat.invalid` (one customer per visitor;
 *     the presence service then maps the visitor's token to that accountId and passes
 *     it back on later chats, so the same visitor is not created twice).
 */
import { route } from '@forge/api';
import { jira, jiraRaw, JiraError } from './jira.js';
import type { JiraUser } from './messages.js';

export const ANONYMOUS_NAME = 'Chat visitor';

export function placeholderEmail(opts: { waId?: string | undefined; clientMsgId: string }): string {
  return opts.waId ? `wa-${opts.waId}@whatsapp.invalid` : `visitor-${opts.clientMsgId.toLowerCase()}@chat.invalid`;
}

async function findByEmail(email: string): Promise<string | undefined> {
  const users = await jira<JiraUser[]>('app', route`/rest/api/3/user/search?query=${email}&maxResults=${10}`);
  const exact = users.find((u) => u.emailAddress?.toLowerCase() === email.toLowerCase());
  // Jira hides most email addresses from apps; a single hit for an exact email query is the customer.
  return (exact ?? (users.length === 1 ? users[0] : undefined))?.accountId;
}

export async function findOrCreateCustomer(opts: { email: string; displayName: string; serviceDeskId: string }): Promise<string> {
  const created = await jiraRaw('app', route`/rest/servicedeskapi/customer`, {
    method: 'POST',
    body: { email: opts.email, displayName: opts.displayName },
  });
  let accountId: string | undefined;
  if (created.status >= 200 && created.status < 300) {
    accountId = (JSON.parse(created.text) as { accountId?: string }).accountId;
  } else if (created.status === 400 || created.status === 409) {
    // "An account already exists for this email": look the customer up.
    accountId = await findByEmail(opts.email);
  } else {
    throw new JiraError(created.status, '/rest/servicedeskapi/customer', '');
  }
  if (!accountId) throw new JiraError(404, '/rest/api/3/user/search', 'the customer exists but could not be found by email');
  // Open service desks need no membership; restricted ones do. Adding twice is harmless.
  await jiraRaw('app', route`/rest/servicedeskapi/servicedesk/${opts.serviceDeskId}/customer`, {
    method: 'POST',
    body: { accountIds: [accountId] },
  }).catch(() => undefined);
  return accountId;
}
