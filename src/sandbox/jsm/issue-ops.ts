/**
 * Changes to issues and comments shared by the platform and servicedeskapi routes.
 * Each change persists the site and queues the product event Jira would fire.
 */
import type { AdfDoc } from '../../protocol/adf.js';
import { JSM_PUBLIC_PROPERTY } from '../../protocol/jira-properties.js';
import { commentDeleted, commented, issueCreated, issueUpdated } from './events.js';
import type { RouteRequest } from './router.js';
import { nowOf } from './site.js';
import type { ChangelogItem, CommentRecord, CommentVisibility, IssueRecord, ProjectRecord } from './types.js';
import { INITIAL_STATUS_ID, statusById, type TransitionDef, RESOLUTION_DONE, resolutionById } from './workflow.js';

export interface NewIssue {
  project: ProjectRecord;
  summary: string;
  description: AdfDoc | null;
  reporterId: string;
  requestTypeId: string | null;
}

export function createIssue(req: RouteRequest, n: NewIssue): IssueRecord {
  const { store } = req.site;
  const now = nowOf(req.site);
  const issue: IssueRecord = {
    id: store.nextIssueId(),
    key: store.nextIssueKey(n.project.key),
    projectId: n.project.id,
    summary: n.summary,
    description: n.description,
    statusId: INITIAL_STATUS_ID,
    assigneeId: null,
    reporterId: n.reporterId,
    creatorId: req.principal.user.accountId,
    requestTypeId: n.requestTypeId,
    created: now,
    updated: now,
    statusChanged: now,
    resolutionDate: null,
    properties: {},
  };
  store.db.issues.push(issue);
  store.save();
  req.emit(issueCreated(req.site, issue, req.principal.user.accountId));
  return issue;
}

const nameOf = (req: RouteRequest, id: string | null) => (id ? (req.site.store.user(id)?.displayName ?? null) : null);

export interface FieldChanges {
  summary?: string;
  description?: AdfDoc | null;
  assigneeId?: string | null;
}

/** Apply field edits; fires updated:issue only when something really changed. */
export function updateIssue(req: RouteRequest, issue: IssueRecord, ch: FieldChanges): void {
  const items: ChangelogItem[] = [];
  if (ch.summary !== undefined && ch.summary !== issue.summary) {
    items.push({ field: 'summary', fieldtype: 'jira', fieldId: 'summary', from: null, fromString: issue.summary, to: null, toString: ch.summary });
    issue.summary = ch.summary;
  }
  if (ch.description !== undefined && JSON.stringify(ch.description) !== JSON.stringify(issue.description)) {
    items.push({ field: 'description', fieldtype: 'jira', fieldId: 'description', from: null, fromString: null, to: null, toString: null });
    issue.description = ch.description;
  }
  if (ch.assigneeId !== undefined && ch.assigneeId !== issue.assigneeId) {
    items.push({
      field: 'assignee',
      fieldtype: 'jira',
      fieldId: 'assignee',
      from: issue.assigneeId,
      fromString: nameOf(req, issue.assigneeId),
      to: ch.assigneeId,
      toString: nameOf(req, ch.assigneeId),
    });
    issue.assigneeId = ch.assigneeId;
  }
  if (!items.length) return;
  issue.updated = nowOf(req.site);
  // Build the event first: it takes a changelog id, which must be saved with the change.
  const event = issueUpdated(req.site, issue, req.principal.user.accountId, items);
  req.site.store.save();
  req.emit(event);
}

export function transitionIssue(req: RouteRequest, issue: IssueRecord, t: TransitionDef, resolution: { id: string; name: string } = RESOLUTION_DONE): void {
  const from = statusById(issue.statusId);
  const to = statusById(t.toStatusId);
  const now = nowOf(req.site);
  const items: ChangelogItem[] = [
    { field: 'status', fieldtype: 'jira', fieldId: 'status', from: from.id, fromString: from.name, to: to.id, toString: to.name },
  ];
  const wasDone = from.category === 'done';
  const isDone = to.category === 'done';
  if (wasDone !== isDone) {
    items.push({
      field: 'resolution',
      fieldtype: 'jira',
      fieldId: 'resolution',
      from: wasDone ? resolutionById(issue.resolutionId).id : null,
      fromString: wasDone ? resolutionById(issue.resolutionId).name : null,
      to: isDone ? resolution.id : null,
      toString: isDone ? resolution.name : null,
    });
    issue.resolutionDate = isDone ? now : null;
    issue.resolutionId = isDone ? resolution.id : null;
  }
  issue.statusId = to.id;
  issue.statusChanged = now;
  issue.updated = now;
  const event = issueUpdated(req.site, issue, req.principal.user.accountId, items);
  req.site.store.save();
  req.emit(event);
}

/** JSM's rule: a comment is internal when its `sd.public.comment` property says so. */
export function publicFromProperties(props: Record<string, unknown>): boolean {
  const v = props[JSM_PUBLIC_PROPERTY] as { internal?: unknown } | undefined;
  return !(v && typeof v === 'object' && v.internal === true);
}

export function addComment(
  req: RouteRequest,
  issue: IssueRecord,
  body: AdfDoc,
  properties: Record<string, unknown>,
  visibility?: CommentVisibility | null,
): CommentRecord {
  const { store } = req.site;
  const now = nowOf(req.site);
  const actor = req.principal.user.accountId;
  const c: CommentRecord = {
    id: store.nextCommentId(),
    issueId: issue.id,
    authorId: actor,
    updateAuthorId: actor,
    body,
    created: now,
    updated: now,
    jsdPublic: publicFromProperties(properties),
    properties,
    ...(visibility ? { visibility } : {}),
  };
  store.db.comments.push(c);
  issue.updated = now;
  store.save();
  req.emit(commented(req.site, issue, c, actor));
  return c;
}

/** `visibility`: undefined keeps the current restriction, null lifts it. */
export function editComment(
  req: RouteRequest,
  issue: IssueRecord,
  c: CommentRecord,
  body: AdfDoc,
  properties?: Record<string, unknown>,
  visibility?: CommentVisibility | null,
): void {
  c.body = body;
  if (visibility === null) delete c.visibility;
  else if (visibility) c.visibility = visibility;
  if (properties) {
    Object.assign(c.properties, properties);
    c.jsdPublic = publicFromProperties(c.properties);
  }
  c.updated = nowOf(req.site);
  c.updateAuthorId = req.principal.user.accountId;
  req.site.store.save();
  req.emit(commented(req.site, issue, c, req.principal.user.accountId));
}

export function deleteComment(req: RouteRequest, issue: IssueRecord, c: CommentRecord): void {
  const list = req.site.store.db.comments;
  list.splice(list.indexOf(c), 1);
  req.site.store.save();
  req.emit(commentDeleted(req.site, issue, c, req.principal.user.accountId));
}
