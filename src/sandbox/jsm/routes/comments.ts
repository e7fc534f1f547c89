/** Issue comments (platform REST v3; v2 accepts plain-text bodies as jira.js sends them). */
import { z } from 'zod';
import { textToAdf, type AdfDoc } from '../../../protocol/adf.js';
import { badRequest, fieldError, forbidden } from '../errors.js';
import { addComment, deleteComment, editComment } from '../issue-ops.js';
import { canSeeComment, requestedVisibility } from '../comment-visibility.js';
import { DEFAULT_COMMENT_PAGE, MAX_COMMENT_PAGE } from '../limits.js';
import { canBrowse, hasProjectPermission } from '../permissions.js';
import { comment as renderComment } from '../render.js';
import { route, type Route, type RouteRequest } from '../router.js';
import type { CommentRecord, IssueRecord, ProjectRecord } from '../types.js';
import { browsableComment, browsableIssue, intParam, listParam, parseBody } from './common.js';
import { setProperty } from './properties.js';
import { CommentBody } from './schemas.js';

const V2CommentBody = z.looseObject({
  body: z.string().min(1, 'Comment body can not be empty!'),
  visibility: CommentBody.shape.visibility,
  properties: z.array(z.object({ key: z.string().min(1).max(255), value: z.unknown() })).optional(),
});

/** Jira's own wording when the body is missing, before the shape check. */
function requireBody(body: unknown): void {
  const b = body as { body?: unknown } | undefined;
  if (b && typeof b === 'object' && (b.body === undefined || b.body === null || b.body === '')) {
    throw fieldError('comment', 'Comment body can not be empty!');
  }
}

/**
 * The issue comment endpoints document only `expand=renderedBody`; Jira ignores other
 * expand values, so `properties` is never answered here. Comment properties come from
 * POST /rest/api/3/comment/list (`expand=properties`) or the comment property endpoints.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-get
 */
function render(req: RouteRequest, c: CommentRecord) {
  const expand = listParam(req.query, 'expand');
  return renderComment(req.site, c, false, expand.includes('renderedBody'));
}

/** "A maximum of 1000 IDs can be specified." */
export const MAX_COMMENT_LIST_IDS = 1000;

const CommentListBody = z.strictObject({
  ids: z.array(z.number().int()).max(MAX_COMMENT_LIST_IDS, `A maximum of ${MAX_COMMENT_LIST_IDS} IDs can be specified.`),
});

/**
 * POST /rest/api/3/comment/list: comments by id, only those on issues the caller may
 * browse (others are left out, not refused); `expand` takes renderedBody and properties.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-comment-list-post
 */
function listByIds(req: RouteRequest) {
  const body = parseBody(CommentListBody, req.body);
  const expand = listParam(req.query, 'expand');
  const { store } = req.site;
  const found: CommentRecord[] = [];
  for (const id of new Set(body.ids)) {
    const c = store.comment(String(id));
    const issue = c ? store.issue(c.issueId) : undefined;
    if (!c || !issue) continue;
    const project = store.projectOf(issue);
    // Restricted comments are left out for readers outside the role or group, as on every read.
    if (!canBrowse(req.principal, project) || !canSeeComment(req.site, req.principal, project, c)) continue;
    found.push(c);
  }
  found.sort((a, b) => Number(a.id) - Number(b.id));
  const startAt = intParam(req.query, 'startAt', 0);
  const maxResults = intParam(req.query, 'maxResults', MAX_COMMENT_LIST_IDS, 0, MAX_COMMENT_LIST_IDS);
  const page = found.slice(startAt, startAt + maxResults);
  const isLast = startAt + page.length >= found.length;
  return {
    status: 200,
    body: {
      maxResults,
      startAt,
      total: found.length,
      isLast,
      values: page.map((c) => renderComment(req.site, c, expand.includes('properties'), expand.includes('renderedBody'))),
    },
  };
}

/** v2 answers carry the plain-text body as sent and a v2 self link. */
function renderV2(req: RouteRequest, issue: IssueRecord, c: CommentRecord, text: string) {
  return { ...render(req, c), self: `${req.site.baseUrl}/rest/api/2/issue/${issue.id}/comment/${c.id}`, body: text };
}

function list(req: RouteRequest) {
  const { issue, project } = browsableIssue(req, req.params.issueIdOrKey ?? '');
  const startAt = intParam(req.query, 'startAt', 0);
  const maxResults = intParam(req.query, 'maxResults', DEFAULT_COMMENT_PAGE, 0, MAX_COMMENT_PAGE);
  const orderBy = req.query.get('orderBy') ?? 'created';
  if (!['created', '+created', '-created'].includes(orderBy))
    throw badRequest(`Invalid orderBy value: ${orderBy}. Allowed values are: created, -created, +created.`);
  // Ids grow with time, so they break ties between comments created in the same millisecond.
  const all = req.site.store
    .commentsOf(issue.id)
    .filter((c) => canSeeComment(req.site, req.principal, project, c))
    .sort((a, b) => a.created.localeCompare(b.created) || Number(a.id) - Number(b.id));
  if (orderBy === '-created') all.reverse();
  const page = all.slice(startAt, startAt + maxResults);
  return { status: 200, body: { startAt, maxResults, total: all.length, comments: page.map((c) => render(req, c)) } };
}

function propsOf(req: RouteRequest, input: { key: string; value: unknown }[] | undefined): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const p of input ?? []) setProperty(props, p.key, p.value);
  return props;
}

function mayComment(req: RouteRequest, project: ProjectRecord): void {
  if (!hasProjectPermission(req.principal, project, 'ADD_COMMENTS')) throw forbidden('You do not have the permission to comment on this issue.');
}

type VisibilityInput = z.infer<typeof CommentBody>['visibility'];

function create(req: RouteRequest, issue: IssueRecord, project: ProjectRecord, body: AdfDoc, props: Record<string, unknown>, visibility: VisibilityInput) {
  mayComment(req, project);
  return addComment(req, issue, body, props, requestedVisibility(req.site, req.principal, project, visibility));
}

function mayEdit(req: RouteRequest, project: ProjectRecord, c: CommentRecord, verb: 'EDIT' | 'DELETE'): void {
  const own = c.authorId === req.principal.user.accountId;
  if (!hasProjectPermission(req.principal, project, `${verb}_${own ? 'OWN' : 'ALL'}_COMMENTS`)) {
    throw forbidden(`You do not have the permission to ${verb.toLowerCase()} this comment.`);
  }
}

export const commentRoutes: Route[] = [
  route('POST', '/rest/api/3/comment/list', listByIds),
  route('GET', '/rest/api/3/issue/:issueIdOrKey/comment', list),
  route('POST', '/rest/api/3/issue/:issueIdOrKey/comment', (req) => {
    const { issue, project } = browsableIssue(req, req.params.issueIdOrKey ?? '');
    requireBody(req.body);
    const body = parseBody(CommentBody, req.body);
    const c = create(req, issue, project, body.body, propsOf(req, body.properties), body.visibility);
    return { status: 201, body: render(req, c) };
  }),
  route('GET', '/rest/api/3/issue/:issueIdOrKey/comment/:commentId', (req) => {
    const { issue } = browsableIssue(req, req.params.issueIdOrKey ?? '');
    return { status: 200, body: render(req, browsableComment(req, issue, req.params.commentId ?? '')) };
  }),
  route('PUT', '/rest/api/3/issue/:issueIdOrKey/comment/:commentId', (req) => {
    const { issue, project } = browsableIssue(req, req.params.issueIdOrKey ?? '');
    const c = browsableComment(req, issue, req.params.commentId ?? '');
    requireBody(req.body);
    const body = parseBody(CommentBody, req.body);
    mayEdit(req, project, c, 'EDIT');
    editComment(
      req,
      issue,
      c,
      body.body,
      body.properties ? propsOf(req, body.properties) : undefined,
      requestedVisibility(req.site, req.principal, project, body.visibility),
    );
    return { status: 200, body: render(req, c) };
  }),
  route('DELETE', '/rest/api/3/issue/:issueIdOrKey/comment/:commentId', (req) => {
    const { issue, project } = browsableIssue(req, req.params.issueIdOrKey ?? '');
    const c = browsableComment(req, issue, req.params.commentId ?? '');
    mayEdit(req, project, c, 'DELETE');
    deleteComment(req, issue, c);
    return { status: 204 };
  }),
  route('POST', '/rest/api/2/issue/:issueIdOrKey/comment', (req) => {
    const { issue, project } = browsableIssue(req, req.params.issueIdOrKey ?? '');
    requireBody(req.body);
    const body = parseBody(V2CommentBody, req.body);
    const c = create(req, issue, project, textToAdf(body.body), propsOf(req, body.properties), body.visibility);
    return { status: 201, body: renderV2(req, issue, c, body.body) };
  }),
  route('PUT', '/rest/api/2/issue/:issueIdOrKey/comment/:commentId', (req) => {
    const { issue, project } = browsableIssue(req, req.params.issueIdOrKey ?? '');
    const c = browsableComment(req, issue, req.params.commentId ?? '');
    requireBody(req.body);
    const body = parseBody(V2CommentBody, req.body);
    mayEdit(req, project, c, 'EDIT');
    editComment(req, issue, c, textToAdf(body.body), undefined, requestedVisibility(req.site, req.principal, project, body.visibility));
    return { status: 200, body: renderV2(req, issue, c, body.body) };
  }),
];
