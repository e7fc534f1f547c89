/**
 * Who may read a Jira comment: the ONE place that decides whether a comment may reach a
 * customer. Everything that shows or sends comments to a customer goes through it, by way
 * of commentToMessage (messages.ts) or directly: the comment trigger's relay (and with it
 * WhatsApp), the widget's history (webtrigger `history`), the agent panel's history
 * and its echo of an agent's reply, and the dashboard's view of what the customer saw.
 *
 * A comment is for customers only when NOTHING restricts it. Two independent marks do:
 *   - JSM's internal flag: `jsdPublic: false`, or the comment property
 *     `sd.public.comment {internal: true}` (either is enough: the event payload carries
 *     only the first, a comment written with properties may carry only the second).
 *     https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-issueidorkey-comment-post
 *   - the platform's `visibility: {type: 'role'|'group', value, identifier}`: only members
 *     of that project role or group may read the comment, and a restricted comment is still
 *     `jsdPublic: true` ("Defaults to true when comments are created in the Jira Cloud
 *     Platform"), so the internal flag alone lets it through.
 *     https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/
 * Strict on shapes: any `visibility` that is present and not null restricts, whatever its
 * type (a new kind of restriction must not become public by default).
 */
import { JSM_PUBLIC_PROPERTY } from '../../protocol/jira-properties.js';

export type CommentAudience = 'customers' | 'internal' | 'restricted';

/** The parts of a comment (REST answer or event payload) that say who may read it. */
export interface AudienceFields {
  jsdPublic?: boolean | undefined;
  visibility?: unknown;
  properties?: { key: string; value: unknown }[] | undefined;
}

export function commentAudience(c: AudienceFields): CommentAudience {
  if (c.visibility !== undefined && c.visibility !== null) return 'restricted';
  if (c.jsdPublic === false) return 'internal';
  const p = c.properties?.find((x) => x.key === JSM_PUBLIC_PROPERTY)?.value as { internal?: unknown } | undefined;
  if (p?.internal === true || p?.internal === 'true') return 'internal';
  return 'customers';
}

/** True only for a comment every customer on the request may read. */
export function isForCustomers(c: AudienceFields): boolean {
  return commentAudience(c) === 'customers';
}
