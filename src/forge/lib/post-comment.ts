/**
 * The one way the app writes a chat comment: ADF body, the app's `chat.message` property
 * (so the comment trigger knows where it came from and never relays it back twice), and
 * JSM's public/internal mark set explicitly rather than left to the project default.
 */
import { route } from '@forge/api';
import { JSM_PUBLIC_PROPERTY, MESSAGE_PROPERTY } from '../../protocol/jira-properties.js';
import { jira, type Actor } from './jira.js';
import { commentBody, messagePropertyOf, type JiraComment, type StoredMessageProperty } from './messages.js';
import { withProperties } from './comment-list.js';

export function postComment(as: Actor, issueKey: string, text: string, prop: StoredMessageProperty, visibility: 'public' | 'internal'): Promise<JiraComment> {
  return jira<JiraComment>(as, route`/rest/api/3/issue/${issueKey}/comment`, {
    method: 'POST',
    body: {
      body: commentBody(text),
      properties: [
        { key: MESSAGE_PROPERTY, value: prop },
        { key: JSM_PUBLIC_PROPERTY, value: { internal: visibility === 'internal' } },
      ],
    },
  });
}

/**
 * How far back a retry looks for its own comment. A retry follows its failed attempt within
 * seconds to minutes, and one conversation gets few comments in that time.
 */
export const RECHECK_RECENT_COMMENTS = 50;

/**
 * The comment an earlier attempt wrote for `clientMsgId`, if it reached Jira. Jira has no
 * idempotency key on comment creation, so a write whose answer was lost is found by the
 * message id the app stores in the comment's own property.
 */
export async function findPostedMessage(as: Actor, issueKey: string, clientMsgId: string): Promise<JiraComment | undefined> {
  const page = await jira<{ comments?: JiraComment[] }>(
    as,
    route`/rest/api/3/issue/${issueKey}/comment?orderBy=${'-created'}&maxResults=${RECHECK_RECENT_COMMENTS}`,
  );
  const recent = page.comments ?? [];
  if (recent.length === 0) return undefined;
  return (await withProperties(as, recent)).find((c) => messagePropertyOf(c)?.clientMsgId === clientMsgId);
}
