/** Shared pieces of route handlers: paging, lookups with Jira's 404 wording, body checks. */
import type { z } from 'zod';
import { badRequest, fieldError, notFound } from '../errors.js';
import { canBrowse } from '../permissions.js';
import { canSeeComment } from '../comment-visibility.js';
import type { RouteRequest } from '../router.js';
import type { CommentRecord, IssueRecord, ProjectRecord } from '../types.js';

export function intParam(q: URLSearchParams, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw badRequest(`The '${name}' parameter must be an integer.`);
  return Math.min(Math.max(Number(raw), min), max);
}

/** Comma-separated and repeated query values, flattened. */
export function listParam(q: URLSearchParams, name: string): string[] {
  return q
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

export const NO_ISSUE = 'Issue does not exist or you do not have permission to see it.';

export function browsableIssue(req: RouteRequest, idOrKey: string): { issue: IssueRecord; project: ProjectRecord } {
  const issue = req.site.store.issue(idOrKey);
  if (!issue) throw notFound(NO_ISSUE);
  const project = req.site.store.projectOf(issue);
  if (!canBrowse(req.principal, project)) throw notFound(NO_ISSUE);
  return { issue, project };
}

export function browsableComment(req: RouteRequest, issue: IssueRecord, commentId: string): CommentRecord {
  const c = req.site.store.comment(commentId);
  // A restricted comment the caller may not see is as absent as a missing one (comment-visibility.ts).
  if (!c || c.issueId !== issue.id || !canSeeComment(req.site, req.principal, req.site.store.projectOf(issue), c))
    throw notFound(`Can not find a comment for the id: ${commentId}.`);
  return c;
}

export function browsableProject(req: RouteRequest, idOrKey: string): ProjectRecord {
  const p = req.site.store.project(idOrKey);
  if (!p || !canBrowse(req.principal, p)) throw notFound(`No project could be found with key '${idOrKey}'.`);
  return p;
}

/** Validate a body; the first problem becomes a per-field Jira error. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined) throw badRequest('No content to map to Object due to end of input');
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.length ? issue.path.map(String).join('.') : '';
  const message = issue?.message ?? 'invalid request';
  throw field ? fieldError(field, message) : badRequest(message);
}

export function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}
