/** JSM's servicedeskapi: desks, request types, customers, requests and their comments. */
import { randomUUID } from 'node:crypto';
import { JSM_PUBLIC_PROPERTY } from '../../../protocol/jira-properties.js';
import { textToAdf, type AdfDoc } from '../../../protocol/adf.js';
import { JiraError, badRequest, forbidden, notFound } from '../errors.js';
import { addComment, createIssue } from '../issue-ops.js';
import { DEFAULT_PAGE, MAX_PAGE } from '../limits.js';
import { canSeeComment } from '../comment-visibility.js';
import { canBrowse, canViewRequest, hasGlobal, hasProjectPermission } from '../permissions.js';
import { sdComment, sdRequest, sdRequestType, sdServiceDesk, sdUser } from '../render.js';
import { route, type Route, type RouteRequest } from '../router.js';
import type { IssueRecord, ProjectRecord, UserRecord } from '../types.js';
import { intParam, parseBody } from './common.js';
import { AddCustomersBody, AdfDocSchema, CustomerCreateBody, FeedbackBody, RequestCreateBody, SdCommentBody } from './schemas.js';

const sd = (path: string, handler: Route['handler'], method: Route['method'] = 'GET') => route(method, `/rest/servicedeskapi${path}`, handler, 'servicedesk');

function paged<T>(req: RouteRequest, items: T[], render: (t: T) => unknown) {
  const start = intParam(req.query, 'start', 0);
  const limit = intParam(req.query, 'limit', DEFAULT_PAGE, 1, MAX_PAGE);
  const page = items.slice(start, start + limit);
  const isLastPage = start + page.length >= items.length;
  const self = `${req.site.baseUrl}${req.path}`;
  const links: Record<string, string> = { self, base: req.site.baseUrl, context: '' };
  if (!isLastPage) links.next = `${self}?start=${start + limit}&limit=${limit}`;
  if (start > 0) links.prev = `${self}?start=${Math.max(0, start - limit)}&limit=${limit}`;
  return { size: page.length, start, limit, isLastPage, values: page.map(render), _links: links };
}

const isCustomerOf = (u: UserRecord, p: ProjectRecord) => p.customers.includes(u.accountId);

function visibleDesk(req: RouteRequest, p: ProjectRecord): boolean {
  return canBrowse(req.principal, p) || isCustomerOf(req.principal.user, p);
}

function desk(req: RouteRequest): ProjectRecord {
  const p = req.site.store.projectByServiceDesk(req.params.serviceDeskId ?? '');
  if (!p || !visibleDesk(req, p)) throw notFound('The service desk does not exist or you do not have permission to see it.', 'sd.servicedesk.error.not.found');
  return p;
}

const NO_REQUEST = 'The request either does not exist or you do not have permission to view it.';

function request(req: RouteRequest): { issue: IssueRecord; project: ProjectRecord } {
  const issue = req.site.store.issue(req.params.issueIdOrKey ?? '');
  if (!issue) throw notFound(NO_REQUEST, 'sd.request.error.not.found');
  const project = req.site.store.projectOf(issue);
  if (!canViewRequest(req.principal, project, issue)) throw notFound(NO_REQUEST, 'sd.request.error.not.found');
  return { issue, project };
}

function createCustomer(req: RouteRequest) {
  if (!hasGlobal(req.principal, 'ADMINISTER')) throw forbidden('You do not have permission to create customers.', 'sd.customer.create.error.permission');
  const body = parseBody(CustomerCreateBody, req.body);
  if (req.site.store.userByEmail(body.email)) {
    // JSM answers 400 by default and 409 when the caller opts into strict conflict codes.
    const strict = req.query.get('strictConflictStatusCode') === 'true';
    throw new JiraError(
      strict ? 409 : 400,
      strict ? 'CONFLICT' : 'BAD_REQUEST',
      'An account already exists for this email',
      {},
      'sd.customer.create.error.email.exists',
    );
  }
  const user: UserRecord = {
    accountId: `qm:${randomUUID()}`,
    displayName: body.displayName ?? body.fullName ?? body.email,
    emailAddress: body.email,
    accountType: 'customer',
    active: true,
    siteAdmin: false,
    timeZone: 'Etc/UTC',
  };
  req.site.store.db.users.push(user);
  req.site.store.save();
  return { status: 201, body: sdUser(req.site, user) };
}

function addCustomers(req: RouteRequest) {
  const p = desk(req);
  if (!hasProjectPermission(req.principal, p, 'SERVICEDESK_AGENT')) throw forbidden('You do not have permission to manage customers of this service desk.');
  const body = parseBody(AddCustomersBody, req.body);
  const ids = [...(body.accountIds ?? []), ...(body.usernames ?? [])];
  if (!ids.length) throw badRequest('Provide at least one accountId to add as a customer.', {}, 'sd.customer.error.accountids.required');
  for (const id of ids) {
    const u = req.site.store.user(id) ?? req.site.store.userByEmail(id);
    if (!u || u.accountType === 'app') throw badRequest(`The user '${id}' does not exist.`, {}, 'sd.customer.error.user.not.found');
    if (!p.customers.includes(u.accountId)) p.customers.push(u.accountId);
  }
  req.site.store.save();
  return { status: 204 };
}

function listCustomers(req: RouteRequest) {
  const p = desk(req);
  if (!hasProjectPermission(req.principal, p, 'SERVICEDESK_AGENT')) throw forbidden('You do not have permission to view the customers of this service desk.');
  const q = (req.query.get('query') ?? '').toLowerCase();
  const users = p.customers
    .map((id) => req.site.store.user(id))
    .filter((u): u is UserRecord => !!u && (!q || u.displayName.toLowerCase().includes(q) || u.emailAddress.toLowerCase().includes(q)));
  return { status: 200, body: paged(req, users, (u) => sdUser(req.site, u)) };
}

function description(v: unknown, adf: boolean): AdfDoc | null {
  if (v === undefined || v === null || v === '') return null;
  if (adf || typeof v !== 'string') {
    const d = AdfDocSchema.safeParse(v);
    if (!d.success) throw badRequest('Description: the value must be an Atlassian Document.', {}, 'sd.request.create.error.field.invalid');
    return d.data;
  }
  return textToAdf(v);
}

function createRequest(req: RouteRequest) {
  const body = parseBody(RequestCreateBody, req.body);
  const { store } = req.site;
  const project = store.projectByServiceDesk(body.serviceDeskId);
  if (!project || !visibleDesk(req, project))
    throw notFound('The service desk does not exist or you do not have permission to see it.', 'sd.servicedesk.error.not.found');
  const rt = store.db.requestTypes.find((r) => r.id === body.requestTypeId && r.serviceDeskId === project.serviceDeskId);
  if (!rt) throw badRequest('The request type you are trying to use does not exist.', {}, 'sd.request.create.error.requesttype.not.found');
  const summary = body.requestFieldValues.summary;
  if (typeof summary !== 'string' || !summary.trim())
    throw badRequest('Summary: You must specify a summary of the issue.', {}, 'sd.request.create.error.field.required');
  if (summary.length > 255) throw badRequest('Summary: Summary must be less than 255 characters.', {}, 'sd.request.create.error.field.invalid');
  let reporter = req.principal.user;
  if (body.raiseOnBehalfOf) {
    if (!hasProjectPermission(req.principal, project, 'SERVICEDESK_AGENT')) {
      throw forbidden('You do not have permission to raise a request on behalf of another customer.', 'sd.request.create.error.onbehalf.permission');
    }
    const u = store.user(body.raiseOnBehalfOf) ?? store.userByEmail(body.raiseOnBehalfOf);
    if (!u || u.accountType === 'app')
      throw badRequest(`The user '${body.raiseOnBehalfOf}' does not exist.`, {}, 'sd.request.create.error.onbehalf.user.not.found');
    reporter = u;
    // Desks with open access add a new reporter as a customer, as JSM does.
    if (u.accountType === 'customer' && !isCustomerOf(u, project)) project.customers.push(u.accountId);
  } else if (req.principal.type === 'app') {
    throw badRequest('A request raised by an app must name the customer in raiseOnBehalfOf.', {}, 'sd.request.create.error.onbehalf.required');
  }
  const issue = createIssue(req, {
    project,
    summary,
    description: description(body.requestFieldValues.description, body.isAdfRequest === true),
    reporterId: reporter.accountId,
    requestTypeId: rt.id,
  });
  return { status: 201, body: sdRequest(req.site, issue) };
}

function myRequests(req: RouteRequest) {
  const me = req.principal.user.accountId;
  const all = req.query.get('requestOwnership') === 'ALL_REQUESTS';
  const deskId = req.query.get('serviceDeskId');
  const issues = req.site.store.db.issues.filter((i) => {
    const p = req.site.store.projectOf(i);
    if (deskId && p.serviceDeskId !== deskId) return false;
    return i.reporterId === me || (all && canBrowse(req.principal, p));
  });
  return { status: 200, body: paged(req, issues, (i) => sdRequest(req.site, i)) };
}

function listComments(req: RouteRequest) {
  const { issue, project } = request(req);
  const agent = canBrowse(req.principal, project);
  const wantPublic = req.query.get('public') !== 'false';
  const wantInternal = agent && req.query.get('internal') !== 'false';
  const comments = req.site.store
    .commentsOf(issue.id)
    .filter((c) => (c.jsdPublic ? wantPublic : wantInternal) && canSeeComment(req.site, req.principal, project, c))
    .sort((a, b) => a.created.localeCompare(b.created) || Number(a.id) - Number(b.id));
  return { status: 200, body: paged(req, comments, (c) => sdComment(req.site, c)) };
}

function getComment(req: RouteRequest) {
  const { issue, project } = request(req);
  const c = req.site.store.comment(req.params.commentId ?? '');
  if (!c || c.issueId !== issue.id || (!c.jsdPublic && !canBrowse(req.principal, project)) || !canSeeComment(req.site, req.principal, project, c)) {
    throw notFound('The comment does not exist or you do not have permission to see it.', 'sd.comment.error.not.found');
  }
  return { status: 200, body: sdComment(req.site, c) };
}

function postComment(req: RouteRequest) {
  const { issue, project } = request(req);
  const body = parseBody(SdCommentBody, req.body);
  const isPublic = body.public !== false;
  const agent = hasProjectPermission(req.principal, project, 'ADD_COMMENTS');
  if (!isPublic && !agent) throw forbidden('You do not have permission to create internal comments.', 'sd.comment.create.error.internal.permission');
  const props: Record<string, unknown> = isPublic ? {} : { [JSM_PUBLIC_PROPERTY]: { internal: true } };
  const c = addComment(req, issue, textToAdf(body.body), props);
  return { status: 201, body: sdComment(req.site, c) };
}

// ---- request feedback (CSAT) ---------------------------------------------------------
// @see https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-requestidorkey-feedback-get
// GET: "User has view request permissions". POST and DELETE: "User must be the reporter or an
// Atlassian Connect app" — the stand-in counts the app's own user (Forge `asApp()`) as the app.

function mayGiveFeedback(req: RouteRequest, issue: IssueRecord): void {
  if (req.principal.type !== 'app' && req.principal.user.accountId !== issue.reporterId) {
    throw forbidden('Only the reporter of the request can give feedback.', 'sd.request.feedback.error.permission');
  }
}

function feedbackOf(issue: IssueRecord): NonNullable<IssueRecord['feedback']> {
  if (!issue.feedback) throw notFound('The request has no feedback.', 'sd.request.feedback.error.not.found');
  return issue.feedback;
}

function postFeedback(req: RouteRequest) {
  const { issue } = request(req);
  mayGiveFeedback(req, issue);
  const body = parseBody(FeedbackBody, req.body);
  const text = body.comment?.body?.trim();
  issue.feedback = { type: 'csat', rating: body.rating, ...(text ? { comment: { body: text } } : {}) };
  req.site.store.save();
  return { status: 200, body: issue.feedback };
}

function deleteFeedback(req: RouteRequest) {
  const { issue } = request(req);
  mayGiveFeedback(req, issue);
  feedbackOf(issue);
  delete issue.feedback;
  req.site.store.save();
  return { status: 204 };
}

export const serviceDeskRoutes: Route[] = [
  sd('/servicedesk', (req) => ({
    status: 200,
    body: paged(
      req,
      req.site.store.db.projects.filter((p) => visibleDesk(req, p)),
      (p) => sdServiceDesk(req.site, p),
    ),
  })),
  sd('/servicedesk/:serviceDeskId', (req) => ({ status: 200, body: sdServiceDesk(req.site, desk(req)) })),
  sd('/servicedesk/:serviceDeskId/requesttype', (req) => {
    const p = desk(req);
    const q = (req.query.get('searchQuery') ?? '').toLowerCase();
    const types = req.site.store.db.requestTypes.filter((r) => r.serviceDeskId === p.serviceDeskId && (!q || r.name.toLowerCase().includes(q)));
    return { status: 200, body: paged(req, types, (r) => sdRequestType(req.site, r)) };
  }),
  sd('/servicedesk/:serviceDeskId/customer', listCustomers),
  sd('/servicedesk/:serviceDeskId/customer', addCustomers, 'POST'),
  sd('/customer', createCustomer, 'POST'),
  sd('/request', myRequests),
  sd('/request', createRequest, 'POST'),
  sd('/request/:issueIdOrKey', (req) => ({ status: 200, body: sdRequest(req.site, request(req).issue) })),
  sd('/request/:issueIdOrKey/comment', listComments),
  sd('/request/:issueIdOrKey/comment', postComment, 'POST'),
  sd('/request/:issueIdOrKey/comment/:commentId', getComment),
  sd('/request/:issueIdOrKey/feedback', (req) => ({ status: 200, body: feedbackOf(request(req).issue) })),
  sd('/request/:issueIdOrKey/feedback', postFeedback, 'POST'),
  sd('/request/:issueIdOrKey/feedback', deleteFeedback, 'DELETE'),
];
