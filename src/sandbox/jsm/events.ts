/**
 * Product event payloads in the shape Forge hands to `trigger` handlers
 * (@see https://developer.atlassian.com/platform/forge/events-reference/jira/).
 */
import { issueType, projectRef, status } from './render.js';
import type { Site } from './site.js';
import type { ChangelogItem, CommentRecord, EventComment, EventIssue, IssueRecord, ProductEvent, ProductEventType } from './types.js';

const ref = (accountId: string) => ({ accountId });

export function eventIssue(site: Site, i: IssueRecord): EventIssue {
  const p = site.store.projectOf(i);
  return {
    id: i.id,
    key: i.key,
    fields: {
      summary: i.summary,
      issuetype: issueType(site, p.issueTypeId),
      creator: ref(i.creatorId),
      created: i.created,
      project: projectRef(site, p),
      reporter: ref(i.reporterId),
      assignee: i.assigneeId ? ref(i.assigneeId) : null,
      updated: i.updated,
      status: status(site, i.statusId),
    },
  };
}

function eventComment(c: CommentRecord): EventComment {
  return {
    id: c.id,
    author: ref(c.authorId),
    body: c.body,
    updateAuthor: ref(c.updateAuthorId),
    created: c.created,
    updated: c.updated,
    jsdPublic: c.jsdPublic,
    // "Includes rich text content and visibility settings" (https://developer.atlassian.com/platform/forge/events-reference/jira/#comment-events)
    ...(c.visibility ? { visibility: { ...c.visibility } } : {}),
  };
}

function make(eventType: ProductEventType, site: Site, i: IssueRecord, actorId: string, extra: Partial<ProductEvent['payload']>): ProductEvent {
  // structuredClone: listeners get a snapshot, not live records they could mutate.
  return structuredClone({
    eventType,
    payload: { eventType, atlassianId: actorId, issue: eventIssue(site, i), associatedUsers: [ref(actorId)], ...extra },
  });
}

export const issueCreated = (site: Site, i: IssueRecord, actorId: string) => make('avi:jira:created:issue', site, i, actorId, {});

export const issueUpdated = (site: Site, i: IssueRecord, actorId: string, items: ChangelogItem[]) =>
  make('avi:jira:updated:issue', site, i, actorId, { changelog: { id: site.store.nextChangelogId(), items } });

/** Fired for a new comment and for an edited one (Forge uses one event for both). */
export const commented = (site: Site, i: IssueRecord, c: CommentRecord, actorId: string) =>
  make('avi:jira:commented:issue', site, i, actorId, { comment: eventComment(c) });

export const commentDeleted = (site: Site, i: IssueRecord, c: CommentRecord, actorId: string) =>
  make('avi:jira:deleted:comment', site, i, actorId, { comment: eventComment(c) });
