/** Issue and comment entity properties (platform REST v3). */
import { badRequest, forbidden, notFound } from '../errors.js';
import { publicFromProperties } from '../issue-ops.js';
import { MAX_PROPERTY_BYTES, MAX_PROPERTY_KEY_LENGTH } from '../limits.js';
import { hasProjectPermission } from '../permissions.js';
import { route, type Route, type RouteRequest } from '../router.js';
import type { Site } from '../site.js';
import type { CommentRecord, IssueRecord, ProjectRecord } from '../types.js';
import { NO_ISSUE, browsableIssue } from './common.js';
import { canSeeComment } from '../comment-visibility.js';

/** Validate and store one property; answers whether it was new. */
export function setProperty(bag: Record<string, unknown>, key: string, value: unknown): boolean {
  if (!key || key.length > MAX_PROPERTY_KEY_LENGTH) throw badRequest(`The property key cannot be longer than ${MAX_PROPERTY_KEY_LENGTH} characters.`);
  if (value === undefined) throw badRequest('The property value must be a valid JSON value.');
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_PROPERTY_BYTES) {
    throw badRequest(`The property value size exceeds the limit of ${MAX_PROPERTY_BYTES} bytes.`);
  }
  const isNew = !Object.prototype.hasOwnProperty.call(bag, key);
  bag[key] = value;
  return isNew;
}

function keysBody(site: Site, bag: Record<string, unknown>, selfBase: string) {
  return { keys: Object.keys(bag).map((key) => ({ self: `${site.baseUrl}${selfBase}/${encodeURIComponent(key)}`, key })) };
}

function getOne(bag: Record<string, unknown>, key: string) {
  if (!Object.prototype.hasOwnProperty.call(bag, key)) throw notFound(`The property with key '${key}' does not exist.`);
  return { status: 200, body: { key, value: bag[key] } };
}

function editable(req: RouteRequest, project: ProjectRecord): void {
  if (!hasProjectPermission(req.principal, project, 'EDIT_ISSUES')) throw forbidden('You do not have permission to edit issue properties.');
}

function issueOf(req: RouteRequest): { issue: IssueRecord; project: ProjectRecord } {
  return browsableIssue(req, req.params.issueIdOrKey ?? '');
}

/** A comment is reached through its issue's browse permission, as in Jira. */
function commentOf(req: RouteRequest): { comment: CommentRecord; project: ProjectRecord } {
  const comment = req.site.store.comment(req.params.commentId ?? '');
  if (!comment) throw notFound(`Can not find a comment for the id: ${req.params.commentId ?? ''}.`);
  const issue = req.site.store.issue(comment.issueId);
  if (!issue) throw notFound(NO_ISSUE);
  const { project } = browsableIssue(req, issue.id);
  // Comment property docs: "If the comment has visibility restrictions, belongs to the group or has the role ..."
  if (!canSeeComment(req.site, req.principal, project, comment)) throw notFound(`Can not find a comment for the id: ${comment.id}.`);
  return { comment, project };
}

function mayEditComment(req: RouteRequest, c: CommentRecord, project: ProjectRecord): void {
  const own = c.authorId === req.principal.user.accountId;
  const ok = hasProjectPermission(req.principal, project, own ? 'EDIT_OWN_COMMENTS' : 'EDIT_ALL_COMMENTS');
  if (!ok) throw forbidden('You do not have permission to edit this comment.');
}

export const propertyRoutes: Route[] = [
  route('GET', '/rest/api/3/issue/:issueIdOrKey/properties', (req) => {
    const { issue } = issueOf(req);
    return { status: 200, body: keysBody(req.site, issue.properties, `/rest/api/3/issue/${issue.id}/properties`) };
  }),
  route('GET', '/rest/api/3/issue/:issueIdOrKey/properties/:propertyKey', (req) => getOne(issueOf(req).issue.properties, req.params.propertyKey ?? '')),
  route('PUT', '/rest/api/3/issue/:issueIdOrKey/properties/:propertyKey', (req) => {
    const { issue, project } = issueOf(req);
    editable(req, project);
    const created = setProperty(issue.properties, req.params.propertyKey ?? '', req.body);
    req.site.store.save();
    return { status: created ? 201 : 200 };
  }),
  route('DELETE', '/rest/api/3/issue/:issueIdOrKey/properties/:propertyKey', (req) => {
    const { issue, project } = issueOf(req);
    editable(req, project);
    const key = req.params.propertyKey ?? '';
    getOne(issue.properties, key);
    delete issue.properties[key];
    req.site.store.save();
    return { status: 204 };
  }),
  route('GET', '/rest/api/3/comment/:commentId/properties', (req) => {
    const { comment } = commentOf(req);
    return { status: 200, body: keysBody(req.site, comment.properties, `/rest/api/3/comment/${comment.id}/properties`) };
  }),
  route('GET', '/rest/api/3/comment/:commentId/properties/:propertyKey', (req) => getOne(commentOf(req).comment.properties, req.params.propertyKey ?? '')),
  route('PUT', '/rest/api/3/comment/:commentId/properties/:propertyKey', (req) => {
    const { comment, project } = commentOf(req);
    mayEditComment(req, comment, project);
    const created = setProperty(comment.properties, req.params.propertyKey ?? '', req.body);
    comment.jsdPublic = publicFromProperties(comment.properties);
    req.site.store.save();
    return { status: created ? 201 : 200 };
  }),
  route('DELETE', '/rest/api/3/comment/:commentId/properties/:propertyKey', (req) => {
    const { comment, project } = commentOf(req);
    mayEditComment(req, comment, project);
    const key = req.params.propertyKey ?? '';
    getOne(comment.properties, key);
    delete comment.properties[key];
    comment.jsdPublic = publicFromProperties(comment.properties);
    req.site.store.save();
    return { status: 204 };
  }),
];
