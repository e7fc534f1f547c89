/** Issues: read, create, edit, assign, transition (platform REST v3). */
import { badRequest, fieldError, forbidden } from '../errors.js';
import { createIssue, transitionIssue, updateIssue, type FieldChanges } from '../issue-ops.js';
import { hasProjectPermission, isAssignable } from '../permissions.js';
import { KNOWN_FIELDS, issue as renderIssue, status, type IssueView } from '../render.js';
import { route, type Route, type RouteRequest } from '../router.js';
import type { IssueRecord } from '../types.js';
import { RESOLUTIONS, transitionsFrom, type ResolutionDef, type TransitionDef } from '../workflow.js';
import { browsableIssue, listParam, parseBody } from './common.js';
import { setProperty } from './properties.js';
import { AdfDocSchema, AssigneeBody, IssueCreateBody, IssueEditBody, TransitionBody } from './schemas.js';

/** `fields=` as Jira reads it: *all / *navigable, names, and -name exclusions. */
export function fieldSelection(list: string[], fallbackAll: boolean): Set<string> | null {
  if (!list.length) return fallbackAll ? null : new Set();
  const include = new Set<string>();
  let all = false;
  for (const f of list) {
    if (f === '*all' || f === '*navigable') all = true;
    else if (!f.startsWith('-')) include.add(f);
  }
  const base = all ? new Set(KNOWN_FIELDS) : include;
  for (const f of list) if (f.startsWith('-')) base.delete(f.slice(1));
  return base;
}

export function issueView(q: URLSearchParams, fallbackAll: boolean): IssueView {
  const expand = listParam(q, 'expand');
  return {
    fields: fieldSelection(listParam(q, 'fields'), fallbackAll),
    expandRendered: expand.includes('renderedFields'),
    expandNames: expand.includes('names'),
    properties: listParam(q, 'properties'),
  };
}

function getIssue(req: RouteRequest) {
  const { issue } = browsableIssue(req, req.params.issueIdOrKey ?? '');
  return { status: 200, body: renderIssue(req.site, issue, issueView(req.query, true)) };
}

function resolveAssignee(req: RouteRequest, issue: IssueRecord, accountId: string | null): string | null {
  if (accountId === null || accountId === '-1') return null;
  const project = req.site.store.projectOf(issue);
  const u = req.site.store.user(accountId);
  if (!u || !isAssignable(u, project)) throw fieldError('assignee', `User '${accountId}' cannot be assigned issues.`);
  return u.accountId;
}

const EDITABLE = new Set(['summary', 'description', 'assignee']);

function editIssue(req: RouteRequest) {
  const { issue, project } = browsableIssue(req, req.params.issueIdOrKey ?? '');
  if (!hasProjectPermission(req.principal, project, 'EDIT_ISSUES')) throw forbidden('You do not have permission to edit issues in this project.');
  const body = parseBody(IssueEditBody, req.body);
  const fields = body.fields ?? {};
  for (const k of Object.keys({ ...fields, ...(body.update ?? {}) })) {
    if (!EDITABLE.has(k)) throw fieldError(k, `Field '${k}' cannot be set. It is not on the appropriate screen, or unknown.`);
  }
  const changes: FieldChanges = {};
  if ('summary' in fields) {
    if (typeof fields.summary !== 'string' || !fields.summary.trim()) throw fieldError('summary', 'You must specify a summary of the issue.');
    if (fields.summary.length > 255) throw fieldError('summary', 'Summary must be less than 255 characters.');
    changes.summary = fields.summary;
  }
  if ('description' in fields) {
    if (fields.description === null) changes.description = null;
    else {
      const d = AdfDocSchema.safeParse(fields.description);
      if (!d.success) throw fieldError('description', 'Operation value must be an Atlassian Document (see the Atlassian Document Format)');
      changes.description = d.data;
    }
  }
  if ('assignee' in fields) {
    const a = fields.assignee as { accountId?: unknown } | null;
    if (a !== null && (typeof a !== 'object' || typeof a.accountId !== 'string')) throw fieldError('assignee', 'Specify a valid value for assignee');
    if (!hasProjectPermission(req.principal, project, 'ASSIGN_ISSUES')) throw fieldError('assignee', 'You do not have permission to assign issues.');
    changes.assigneeId = resolveAssignee(req, issue, a === null ? null : (a.accountId as string));
  }
  // Check every property before touching the issue, so a bad one changes nothing.
  const props: Record<string, unknown> = {};
  for (const p of body.properties ?? []) setProperty(props, p.key, p.value);
  Object.assign(issue.properties, props);
  updateIssue(req, issue, changes);
  if (body.properties?.length) req.site.store.save();
  if (req.query.get('returnIssue') === 'true') return { status: 200, body: renderIssue(req.site, issue, issueView(req.query, true)) };
  return { status: 204 };
}

function createPlatformIssue(req: RouteRequest) {
  const body = parseBody(IssueCreateBody, req.body);
  const ref = body.fields.project.id ?? body.fields.project.key;
  if (!ref) throw fieldError('project', 'Specify a valid project ID or key');
  const project = req.site.store.project(ref);
  if (!project || !hasProjectPermission(req.principal, project, 'CREATE_ISSUES')) throw fieldError('project', 'Specify a valid project ID or key');
  const t = body.fields.issuetype;
  if (t.id !== undefined ? t.id !== project.issueTypeId : t.name !== undefined && t.name !== '[System] Service request') {
    throw fieldError('issuetype', 'Specify a valid issue type');
  }
  let reporterId = req.principal.user.accountId;
  if (body.fields.reporter) {
    const r = req.site.store.user(body.fields.reporter.accountId);
    if (!r) throw fieldError('reporter', `The reporter specified is not a user.`);
    reporterId = r.accountId;
  }
  const props: Record<string, unknown> = {};
  for (const p of body.properties ?? []) setProperty(props, p.key, p.value);
  const issue = createIssue(req, { project, summary: body.fields.summary, description: body.fields.description ?? null, reporterId, requestTypeId: null });
  if (body.properties?.length) {
    Object.assign(issue.properties, props);
    req.site.store.save();
  }
  return { status: 201, body: { id: issue.id, key: issue.key, self: `${req.site.baseUrl}/rest/api/3/issue/${issue.id}` } };
}

function assign(req: RouteRequest) {
  const { issue, project } = browsableIssue(req, req.params.issueIdOrKey ?? '');
  const body = parseBody(AssigneeBody, req.body);
  if (!hasProjectPermission(req.principal, project, 'ASSIGN_ISSUES')) throw forbidden('You do not have permission to assign issues.');
  updateIssue(req, issue, { assigneeId: resolveAssignee(req, issue, body.accountId) });
  return { status: 204 };
}

/** A transition screen's fields as FieldMetadata (`expand=transitions.fields`). */
function screenFields(req: RouteRequest, t: TransitionDef): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of t.screen ?? []) {
    out[f.key] = {
      required: f.required,
      schema: { type: 'resolution', system: 'resolution' },
      name: 'Resolution',
      key: 'resolution',
      hasDefaultValue: false,
      operations: ['set'],
      allowedValues: RESOLUTIONS.map((r) => ({ self: `${req.site.baseUrl}/rest/api/3/resolution/${r.id}`, ...r })),
    };
  }
  return out;
}

function getTransitions(req: RouteRequest) {
  const { issue, project } = browsableIssue(req, req.params.issueIdOrKey ?? '');
  const may = hasProjectPermission(req.principal, project, 'TRANSITION_ISSUES');
  const only = req.query.get('transitionId');
  const withFields = listParam(req.query, 'expand').includes('transitions.fields');
  const list = may ? transitionsFrom(issue.statusId).filter((t) => !only || t.id === only) : [];
  return {
    status: 200,
    body: {
      expand: 'transitions',
      transitions: list.map((t) => ({
        id: t.id,
        name: t.name,
        to: status(req.site, t.toStatusId),
        hasScreen: !!t.screen?.length,
        isGlobal: true,
        isInitial: false,
        isAvailable: true,
        isConditional: false,
        isLooped: false,
        ...(withFields ? { fields: screenFields(req, t) } : {}),
      })),
    },
  };
}

/** `fields.resolution` as `{id}` or `{name}`; unknown values are refused like Jira's field validation. */
function resolutionOf(value: unknown): ResolutionDef {
  const v = (value ?? {}) as { id?: unknown; name?: unknown };
  const r = RESOLUTIONS.find((x) => (v.id !== undefined && x.id === String(v.id)) || (v.name !== undefined && x.name === v.name));
  if (!r) throw fieldError('resolution', `Could not find a resolution with the given id or name.`);
  return r;
}

function doTransition(req: RouteRequest) {
  const { issue, project } = browsableIssue(req, req.params.issueIdOrKey ?? '');
  const body = parseBody(TransitionBody, req.body);
  if (!hasProjectPermission(req.principal, project, 'TRANSITION_ISSUES')) throw forbidden('You do not have permission to transition this issue.');
  const t = transitionsFrom(issue.statusId).find((x) => x.id === body.transition.id);
  if (!t) throw badRequest(`Transition id '${body.transition.id}' is not valid for this issue.`);
  // Strict where the docs are silent (workflow.ts): a required screen field must be set.
  const onScreen = new Set((t.screen ?? []).map((f) => f.key));
  for (const key of Object.keys(body.fields ?? {})) {
    if (!onScreen.has(key as 'resolution')) throw fieldError(key, `Field '${key}' cannot be set. It is not on the appropriate screen, or unknown.`);
  }
  for (const f of t.screen ?? []) {
    if (f.required && body.fields?.[f.key] === undefined) throw fieldError(f.key, 'Resolution is required.');
  }
  const resolution = body.fields?.['resolution'] !== undefined ? resolutionOf(body.fields['resolution']) : undefined;
  transitionIssue(req, issue, t, resolution);
  return { status: 204 };
}

export const issueRoutes: Route[] = [
  route('POST', '/rest/api/3/issue', createPlatformIssue),
  route('GET', '/rest/api/3/issue/:issueIdOrKey', getIssue),
  route('PUT', '/rest/api/3/issue/:issueIdOrKey', editIssue),
  route('PUT', '/rest/api/3/issue/:issueIdOrKey/assignee', assign),
  route('GET', '/rest/api/3/issue/:issueIdOrKey/transitions', getTransitions),
  route('POST', '/rest/api/3/issue/:issueIdOrKey/transitions', doTransition),
];
