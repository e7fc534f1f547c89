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
 *
 * An email typed into the pre-chat form proves nothing. The presence service maps a visitor
 * to the account the app answers with and then lists that account's conversations to the
 * visitor, so an *unverified* web visitor whose email already belongs to an account is
 * never linked to it: they get a placeholder customer of their own, and the email they gave
 * is written into the request for the agents (startConversation). Verified visitors (the
 * site signed their email) and WhatsApp senders (Meta signs the number) are linked.
 */
import { route } from '@forge/api';
import { jira, jiraRaw, JiraError } from './jira.js';
import type { JiraUser } from './messages.js';

export const ANONYMOUS_NAME = 'Chat visitor';

export function placeholderEmail(opts: { waId?: string | undefined; clientMsgId: string }): string {
  return opts.waId ? `wa-${opts.waId}@whatsapp.invalid` : `visitor-${opts.clientMsgId.toLowerCase()}@chat.invalid`;
}

/**
 * The account whose email is exactly `email`, if Jira shows it. `/user/search` matches
 * *prefixes* of display names and email addresses, and "privacy controls are applied to
 * the response based on the users' preferences ... the user's email address is hidden":
 * so a hit without a visible, equal email is someone else, and only an exact match counts.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-user-search/#api-rest-api-3-user-search-get
 */
async function findByEmail(email: string): Promise<string | undefined> {
  const users = await jira<JiraUser[]>('app', route`/rest/api/3/user/search?query=${email}&maxResults=${10}`);
  return users.find((u) => u.emailAddress?.toLowerCase() === email.toLowerCase())?.accountId;
}

/** What an admin must grant so the app can create customers (shown on the admin page, too). */
export const CUSTOMER_PERMISSION_HINT =
  'The app cannot create JSM customers: its app user ("Chat for JSM") needs the "Administer Jira" global permission. ' +
  'In Jira settings → System → Global permissions, grant "Administer Jira" to a group the app user is in (Forge app users are in atlassian-addons-admin).';

export interface FoundCustomer {
  accountId: string;
  /** True when the account existed before this call (its email was already a Jira account). */
  existing: boolean;
}

export async function findOrCreateCustomer(opts: { email: string; displayName: string; serviceDeskId: string }): Promise<FoundCustomer> {
  const created = await jiraRaw('app', route`/rest/servicedeskapi/customer`, {
    method: 'POST',
    body: { email: opts.email, displayName: opts.displayName },
  });
  let accountId: string | undefined;
  let existing = false;
  if (created.status >= 200 && created.status < 300) {
    accountId = (JSON.parse(created.text) as { accountId?: string }).accountId;
  } else if (created.status === 400 || created.status === 409) {
    // "An account already exists for this email": look the customer up.
    accountId = await findByEmail(opts.email);
    existing = true;
  } else if (created.status === 403) {
    // Creating customers needs "Jira Administrator Global permission".
    // @see https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-customer/#api-rest-servicedeskapi-customer-post
    throw new JiraError(403, '/rest/servicedeskapi/customer', CUSTOMER_PERMISSION_HINT);
  } else {
    throw new JiraError(created.status, '/rest/servicedeskapi/customer', '');
  }
  if (!accountId)
    throw new JiraError(
      404,
      '/rest/api/3/user/search',
      'an account with this email exists, but Jira does not show its email address to the app, so it cannot be matched',
    );
  // Open service desks need no membership; restricted ones do. Adding twice is harmless.
  await jiraRaw('app', route`/rest/servicedeskapi/servicedesk/${opts.serviceDeskId}/customer`, {
    method: 'POST',
    body: { accountIds: [accountId] },
  }).catch(() => undefined);
  return { accountId, existing };
}
