/**
 * JSM request attachments, in two steps as Atlassian documents them:
 *  1. POST /rest/servicedeskapi/servicedesk/{serviceDeskId}/attachTemporaryFile
 *     multipart/form-data, parts named "file", header `X-Atlassian-Token: no-check`
 *     (XSRF protection: without it the call is blocked) -> 201 {temporaryAttachments:[{temporaryAttachmentId, fileName}]}
 *  2. POST /rest/servicedeskapi/request/{issueIdOrKey}/attachment
 *     {temporaryAttachmentIds, public, additionalComment?} -> 201 {attachments: paged list, comment?}
 * https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-servicedesk/#api-rest-servicedeskapi-servicedesk-servicedeskid-attachtemporaryfile-post
 * https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-issueidorkey-attachment-post
 * Where the pages are silent the stand-in is strict: a temporary id is used once, only
 * on a request of the desk it was uploaded to, by the one who uploaded it, and expires.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { badRequest, forbidden, JiraError, notFound } from '../errors.js';
import { canBrowse, canViewRequest, hasProjectPermission } from '../permissions.js';
import { sdUser } from '../render.js';
import { route, type RouteRequest } from '../router.js';
import { jiraTime } from '../site.js';
import type { AttachmentRecord } from '../types.js';
import { intParam, parseBody } from './common.js';
import { DEFAULT_PAGE, MAX_PAGE } from '../limits.js';

/** Temporary attachments Jira does not turn into real ones are dropped; docs silent on how soon: one hour. */
export const TEMPORARY_ATTACHMENT_TTL_MS = 60 * 60 * 1000;

interface Temporary {
  id: string;
  serviceDeskId: string;
  uploaderId: string;
  fileName: string;
  mimeType: string;
  bytes: Buffer;
  at: number;
}

/** Temporary files live in memory only (they are temporary in Jira too). */
const temporaries = new WeakMap<object, Map<string, Temporary>>();
function temps(req: RouteRequest): Map<string, Temporary> {
  let m = temporaries.get(req.site.store);
  if (!m) temporaries.set(req.site.store, (m = new Map()));
  const now = req.site.clock().getTime();
  for (const [k, t] of m) if (now - t.at > TEMPORARY_ATTACHMENT_TTL_MS) m.delete(k);
  return m;
}

const AttachmentCreateBody = z
  .object({
    temporaryAttachmentIds: z.array(z.string()).min(1, 'temporaryAttachmentIds must not be empty'),
    public: z.boolean({ message: 'public is required' }),
    additionalComment: z.object({ body: z.string() }).optional(),
  })
  .strict();

function attachTemporaryFile(req: RouteRequest) {
  if (String(req.headers['x-atlassian-token'] ?? '').toLowerCase() !== 'no-check') {
    throw new JiraError(403, 'FORBIDDEN', 'XSRF check failed: send the header X-Atlassian-Token: no-check.');
  }
  const project = req.site.store.projectByServiceDesk(req.params.serviceDeskId ?? '');
  const isCustomer = !!project && project.customers.includes(req.principal.user.accountId);
  if (!project || !(canBrowse(req.principal, project) || isCustomer))
    throw notFound('The service desk does not exist or you do not have permission to see it.', 'sd.servicedesk.error.not.found');
  if (!req.form) throw badRequest('The request must be multipart/form-data.');
  const files = req.form.filter((p) => p.name === 'file' && p.filename !== undefined);
  if (files.length === 0) throw badRequest('No file was sent: the multipart parameter must be named "file".');
  const m = temps(req);
  const out = files.map((f) => {
    const id = `temp${randomUUID().replace(/-/g, '')}`;
    m.set(id, {
      id,
      serviceDeskId: project.serviceDeskId,
      uploaderId: req.principal.user.accountId,
      fileName: f.filename!,
      mimeType: f.type || 'application/octet-stream',
      bytes: f.bytes,
      at: req.site.clock().getTime(),
    });
    return { temporaryAttachmentId: id, fileName: f.filename! };
  });
  return { status: 201, body: { temporaryAttachments: out } };
}

const NO_REQUEST = 'The request either does not exist or you do not have permission to view it.';
function viewableRequest(req: RouteRequest) {
  const issue = req.site.store.issue(req.params.issueIdOrKey ?? '');
  if (!issue) throw notFound(NO_REQUEST, 'sd.request.error.not.found');
  const project = req.site.store.projectOf(issue);
  if (!canViewRequest(req.principal, project, issue)) throw notFound(NO_REQUEST, 'sd.request.error.not.found');
  return { issue, project };
}

/** GET request/{key}/attachment: the request's attachments (customers see the public ones), paged. */
function listAttachments(req: RouteRequest) {
  const { issue, project } = viewableRequest(req);
  const agent = req.principal.type === 'app' || hasProjectPermission(req.principal, project, 'SERVICEDESK_AGENT');
  const all = req.site.store.attachmentsOf(issue.id).filter((a) => agent || a.public);
  const start = intParam(req.query, 'start', 0);
  const limit = intParam(req.query, 'limit', DEFAULT_PAGE, 1, MAX_PAGE);
  const values = all.slice(start, start + limit).map((a) => sdAttachment(req, a));
  return {
    status: 200,
    body: { size: values.length, start, limit, isLastPage: start + values.length >= all.length, values, _links: { base: req.site.baseUrl, context: '' } },
  };
}

function createAttachment(req: RouteRequest) {
  const { issue, project } = viewableRequest(req);
  const body = parseBody(AttachmentCreateBody, req.body);
  const agent = req.principal.type === 'app' || hasProjectPermission(req.principal, project, 'SERVICEDESK_AGENT');
  // "Customers can only create public attachments."
  if (!agent && !body.public) throw forbidden('Customers can only add public attachments.', 'sd.attachment.error.public.only');
  const m = temps(req);
  const picked = body.temporaryAttachmentIds.map((id) => {
    const t = m.get(id);
    if (!t || t.serviceDeskId !== project.serviceDeskId || t.uploaderId !== req.principal.user.accountId) {
      throw badRequest(
        `The temporary attachment ${id} does not exist, has expired or belongs to another service desk.`,
        {},
        'sd.attachment.error.temporary.not.found',
      );
    }
    return t;
  });
  const now = jiraTime(req.site.clock());
  const created: AttachmentRecord[] = picked.map((t) => {
    m.delete(t.id);
    return req.site.store.addAttachment({
      issueId: issue.id,
      authorId: req.principal.user.accountId,
      filename: t.fileName,
      mimeType: t.mimeType,
      size: t.bytes.length,
      created: now,
      public: body.public,
      contentBase64: t.bytes.toString('base64'),
    });
  });
  issue.updated = now;
  req.site.store.save();
  const values = created.map((a) => sdAttachment(req, a));
  return {
    status: 201,
    body: { attachments: { size: values.length, start: 0, limit: values.length, isLastPage: true, values, _links: { base: req.site.baseUrl, context: '' } } },
  };
}

export function sdAttachment(req: RouteRequest, a: AttachmentRecord): Record<string, unknown> {
  const author = req.site.store.user(a.authorId);
  const base = req.site.baseUrl;
  return {
    filename: a.filename,
    ...(author ? { author: sdUser(req.site, author) } : {}),
    created: { iso8601: a.created, jira: a.created, friendly: a.created, epochMillis: Date.parse(a.created.replace('+0000', 'Z')) },
    size: a.size,
    mimeType: a.mimeType,
    _links: {
      self: `${base}/rest/servicedeskapi/request/${a.issueId}/attachment/${a.id}`,
      jiraRest: `${base}/rest/api/3/attachment/${a.id}`,
      content: `${base}/rest/api/3/attachment/content/${a.id}`,
    },
  };
}

/** Platform API: GET /rest/api/3/attachment/{id} (metadata) and /attachment/content/{id} (bytes). */
function attachmentOf(req: RouteRequest): AttachmentRecord {
  const a = req.site.store.attachment(req.params.id ?? '');
  const issue = a && req.site.store.issue(a.issueId);
  if (!a || !issue || !canBrowse(req.principal, req.site.store.projectOf(issue)))
    throw notFound('The attachment does not exist or you do not have permission to see it.');
  return a;
}

export const attachmentRoutes = [
  route('POST', '/rest/servicedeskapi/servicedesk/:serviceDeskId/attachTemporaryFile', attachTemporaryFile, 'servicedesk'),
  route('POST', '/rest/servicedeskapi/request/:issueIdOrKey/attachment', createAttachment, 'servicedesk'),
  route('GET', '/rest/servicedeskapi/request/:issueIdOrKey/attachment', listAttachments, 'servicedesk'),
  route('GET', '/rest/api/3/attachment/:id', (req) => {
    const a = attachmentOf(req);
    const author = req.site.store.user(a.authorId);
    return {
      status: 200,
      body: {
        self: `${req.site.baseUrl}/rest/api/3/attachment/${a.id}`,
        id: a.id,
        filename: a.filename,
        ...(author ? { author: { accountId: author.accountId, displayName: author.displayName } } : {}),
        created: a.created,
        size: a.size,
        mimeType: a.mimeType,
        content: `${req.site.baseUrl}/rest/api/3/attachment/content/${a.id}`,
      },
    };
  }),
  route('GET', '/rest/api/3/attachment/content/:id', (req) => {
    const a = attachmentOf(req);
    return { status: 200, raw: { bytes: Buffer.from(a.contentBase64, 'base64'), type: a.mimeType, filename: a.filename } };
  }),
];
