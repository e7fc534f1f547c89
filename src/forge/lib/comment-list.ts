/**
 * Comments with their properties, read the documented way. The issue comment endpoints
 * document only `expand=renderedBody`; properties come with
 * `POST /rest/api/3/comment/list?expand=properties`, which takes up to 1000 ids per call,
 * so a page of comments costs one extra call, not one per comment.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-comment-list-post
 */
import { route } from '@forge/api';
import { jira, type Actor } from './jira.js';
import type { JiraComment } from './messages.js';

/** "A maximum of 1000 IDs can be specified." */
export const MAX_COMMENT_LIST_IDS = 1000;

type CommentListPage = { values?: JiraComment[]; isLast?: boolean };

/** The comments (same order) with `properties` filled from comment/list; a comment gone meanwhile keeps none. */
export async function withProperties(as: Actor, comments: JiraComment[]): Promise<JiraComment[]> {
  const props = new Map<string, JiraComment['properties']>();
  for (let i = 0; i < comments.length; i += MAX_COMMENT_LIST_IDS) {
    const ids = comments.slice(i, i + MAX_COMMENT_LIST_IDS).map((c) => Number(c.id));
    const page = await jira<CommentListPage>(as, route`/rest/api/3/comment/list?expand=${'properties'}&maxResults=${MAX_COMMENT_LIST_IDS}`, {
      method: 'POST',
      body: { ids },
    });
    for (const c of page.values ?? []) props.set(String(c.id), c.properties ?? []);
  }
  return comments.map((c) => ({ ...c, properties: props.get(String(c.id)) ?? [] }));
}

/** One comment with its properties (undefined when it is gone or not visible to `as`). */
export async function commentWithProperties(as: Actor, commentId: string): Promise<JiraComment | undefined> {
  if (!/^\d+$/.test(commentId)) return undefined;
  const page = await jira<CommentListPage>(as, route`/rest/api/3/comment/list?expand=${'properties'}`, { method: 'POST', body: { ids: [Number(commentId)] } });
  return page.values?.find((c) => String(c.id) === commentId);
}
