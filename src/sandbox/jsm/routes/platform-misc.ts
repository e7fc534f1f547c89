/** Server info, users, projects and mypermissions (platform REST v3). */
import { badRequest, forbidden, notFound } from '../errors.js';
import { DEFAULT_PAGE, MAX_PAGE } from '../limits.js';
import { canBrowse, hasGlobal, hasProjectPermission, isAgent, isGlobalPermission, isKnownPermission } from '../permissions.js';
import { fullUser, projectFull, userDetails } from '../render.js';
import { route, type Route, type RouteRequest } from '../router.js';
import { nowOf } from '../site.js';
import type { ProjectRecord } from '../types.js';
import { browsableIssue, browsableProject, intParam, listParam } from './common.js';

const PERMISSION_META: Record<string, { id: string; name: string; description: string }> = {
  ADMINISTER: {
    id: '0',
    name: 'Administer Jira',
    description: 'Create and administer projects, issue types, fields, workflows, and schemes for all projects.',
  },
  SYSTEM_ADMIN: { id: '44', name: 'Jira System Administrators', description: 'Ability to perform most administration functions.' },
  USER_PICKER: { id: '27', name: 'Browse users and groups', description: 'View and select users or groups from the user picker.' },
  CREATE_SHARED_OBJECTS: { id: '22', name: 'Share dashboards and filters', description: 'Share dashboards and filters with other users.' },
  BROWSE_PROJECTS: { id: '10', name: 'Browse Projects', description: 'Ability to browse projects and the issues within them.' },
  CREATE_ISSUES: { id: '11', name: 'Create Issues', description: 'Ability to create issues.' },
  EDIT_ISSUES: { id: '12', name: 'Edit Issues', description: 'Ability to edit issues.' },
  ASSIGN_ISSUES: { id: '13', name: 'Assign Issues', description: 'Ability to assign issues to other people.' },
  RESOLVE_ISSUES: { id: '14', name: 'Resolve Issues', description: 'Ability to resolve and reopen issues.' },
  ADD_COMMENTS: { id: '15', name: 'Add Comments', description: 'Ability to comment on issues.' },
  ASSIGNABLE_USER: { id: '17', name: 'Assignable User', description: 'Users with this permission may be assigned to issues.' },
  CLOSE_ISSUES: { id: '18', name: 'Close Issues', description: 'Ability to close issues.' },
  ADMINISTER_PROJECTS: { id: '23', name: 'Administer Projects', description: 'Ability to administer a project in Jira.' },
  EDIT_ALL_COMMENTS: { id: '34', name: 'Edit All Comments', description: 'Ability to edit all comments made on issues.' },
  EDIT_OWN_COMMENTS: { id: '35', name: 'Edit Own Comments', description: 'Ability to edit own comments made on issues.' },
  DELETE_ALL_COMMENTS: { id: '36', name: 'Delete All Comments', description: 'Ability to delete all comments made on issues.' },
  DELETE_OWN_COMMENTS: { id: '37', name: 'Delete Own Comments', description: 'Ability to delete own comments made on issues.' },
  TRANSITION_ISSUES: { id: '46', name: 'Transition Issues', description: 'Ability to transition issues.' },
  SERVICEDESK_AGENT: { id: '10600', name: 'Service Desk Agent', description: 'Ability to act as an agent of a service project.' },
};

function serverInfo(req: RouteRequest) {
  return {
    status: 200,
    body: {
      baseUrl: req.site.baseUrl,
      displayUrl: req.site.baseUrl,
      displayUrlServicedeskHelpCenter: `${req.site.baseUrl}/servicedesk/customer/portals`,
      version: '1001.0.0-SNAPSHOT',
      versionNumbers: [1001, 0, 0],
      deploymentType: 'Cloud',
      buildNumber: 100289,
      buildDate: '2026-01-01T00:00:00.000+0000',
      serverTime: nowOf(req.site),
      scmInfo: 'sandbox',
      serverTitle: req.site.siteName,
      defaultLocale: { locale: 'en_US' },
      serverTimeZone: 'Etc/UTC',
    },
  };
}

function getUser(req: RouteRequest) {
  const id = req.query.get('accountId');
  if (!id) throw badRequest('The accountId query parameter needs to be provided.');
  const u = req.site.store.user(id);
  if (!u) throw notFound(`Specified user does not exist or you do not have required permissions`);
  return { status: 200, body: fullUser(req.site, u) };
}

function bulkUsers(req: RouteRequest) {
  const ids = listParam(req.query, 'accountId');
  if (!ids.length) throw badRequest('You must provide at least one of: username, key or accountId.');
  const startAt = intParam(req.query, 'startAt', 0);
  const maxResults = intParam(req.query, 'maxResults', 10, 1, 200);
  const users = ids.map((id) => req.site.store.user(id)).filter((u) => u !== undefined);
  const page = users.slice(startAt, startAt + maxResults);
  return {
    status: 200,
    body: {
      self: `${req.site.baseUrl}/rest/api/3/user/bulk?${req.query.toString()}`,
      maxResults,
      startAt,
      total: users.length,
      isLast: startAt + page.length >= users.length,
      values: page.map((u) => userDetails(req.site, u)),
    },
  };
}

/** The user search's match: the account id when given, else a prefix (lower case) of the name, one of its words, or the email. */
function matchesUser(u: { accountId: string; displayName: string; emailAddress: string }, query: string, accountId: string | null): boolean {
  if (accountId) return u.accountId === accountId;
  const name = u.displayName.toLowerCase();
  return name.startsWith(query) || name.split(/\s+/).some((w) => w.startsWith(query)) || u.emailAddress.toLowerCase().startsWith(query);
}

function searchUsers(req: RouteRequest) {
  if (!hasGlobal(req.principal, 'USER_PICKER')) throw forbidden('You do not have the permission to browse users.');
  const query = (req.query.get('query') ?? '').toLowerCase();
  const accountId = req.query.get('accountId');
  if (!query && !accountId) throw badRequest('One of the query parameters query, accountId or property must be provided.');
  const startAt = intParam(req.query, 'startAt', 0);
  const maxResults = intParam(req.query, 'maxResults', DEFAULT_PAGE, 1, 1000);
  const found = req.site.store.db.users.filter((u) => matchesUser(u, query, accountId));
  return { status: 200, body: found.slice(startAt, startAt + maxResults).map((u) => userDetails(req.site, u)) };
}

/**
 * Users assignable to issues of a project (or an issue): `project` or `issueKey`, and
 * `query` (prefix of name or email) or `accountId`, are required as documented. In a
 * service project the assignable users are its agents.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-user-search/#api-rest-api-3-user-assignable-search-get
 */
function assignableUsers(req: RouteRequest) {
  const projectParam = req.query.get('project');
  const issueKey = req.query.get('issueKey');
  if (!projectParam && !issueKey) throw badRequest('The project or issueKey query parameter is required.');
  const query = (req.query.get('query') ?? '').toLowerCase();
  const accountId = req.query.get('accountId');
  if (!query && !accountId) throw badRequest('One of the query parameters query or accountId must be provided.');
  const project = issueKey ? browsableIssue(req, issueKey).project : browsableProject(req, projectParam!);
  const startAt = intParam(req.query, 'startAt', 0);
  const maxResults = intParam(req.query, 'maxResults', DEFAULT_PAGE, 1, 1000);
  const found = req.site.store.db.users.filter((u) => u.accountType === 'atlassian' && u.active && isAgent(u, project) && matchesUser(u, query, accountId));
  return { status: 200, body: found.slice(startAt, startAt + maxResults).map((u) => userDetails(req.site, u)) };
}

function summary(req: RouteRequest, p: ProjectRecord) {
  const { lead: _lead, components: _c, issueTypes: _i, versions: _v, roles: _r, description: _d, assigneeType: _a, ...rest } = projectFull(req.site, p);
  return rest;
}

function searchProjects(req: RouteRequest) {
  const startAt = intParam(req.query, 'startAt', 0);
  const maxResults = intParam(req.query, 'maxResults', DEFAULT_PAGE, 1, MAX_PAGE);
  const keys = listParam(req.query, 'keys').map((k) => k.toUpperCase());
  const query = (req.query.get('query') ?? '').toLowerCase();
  const typeKey = req.query.get('typeKey');
  const all = req.site.store.db.projects.filter(
    (p) =>
      canBrowse(req.principal, p) &&
      (!keys.length || keys.includes(p.key) || keys.includes(p.id)) &&
      (!query || p.key.toLowerCase().includes(query) || p.name.toLowerCase().includes(query)) &&
      (!typeKey || typeKey.split(',').includes(p.projectTypeKey)),
  );
  const page = all.slice(startAt, startAt + maxResults);
  const isLast = startAt + page.length >= all.length;
  const self = `${req.site.baseUrl}/rest/api/3/project/search?startAt=${startAt}&maxResults=${maxResults}`;
  return {
    status: 200,
    body: {
      self,
      ...(isLast ? {} : { nextPage: `${req.site.baseUrl}/rest/api/3/project/search?startAt=${startAt + maxResults}&maxResults=${maxResults}` }),
      maxResults,
      startAt,
      total: all.length,
      isLast,
      values: page.map((p) => summary(req, p)),
    },
  };
}

function getProject(req: RouteRequest) {
  const p = req.site.store.project(req.params.projectIdOrKey ?? '');
  if (!p || !canBrowse(req.principal, p)) throw notFound(`No project could be found with key '${req.params.projectIdOrKey ?? ''}'.`);
  return { status: 200, body: projectFull(req.site, p) };
}

function myPermissions(req: RouteRequest) {
  const keys = listParam(req.query, 'permissions');
  if (!keys.length) throw badRequest('The permissions query parameter is required.');
  const unknown = keys.find((k) => !isKnownPermission(k));
  if (unknown) throw badRequest(`Unrecognized permission key: ${unknown}.`);
  const store = req.site.store;
  let project: ProjectRecord | undefined;
  const projectKey = req.query.get('projectKey') ?? req.query.get('projectId');
  const issueKey = req.query.get('issueKey') ?? req.query.get('issueId');
  if (projectKey) {
    project = store.project(projectKey);
    if (!project) throw notFound(`No project could be found with key '${projectKey}'.`);
  } else if (issueKey) {
    const issue = store.issue(issueKey);
    if (!issue || !canBrowse(req.principal, store.projectOf(issue))) throw notFound('Issue does not exist or you do not have permission to see it.');
    project = store.projectOf(issue);
  }
  const permissions: Record<string, unknown> = {};
  for (const key of keys) {
    const meta = PERMISSION_META[key] ?? { id: key, name: key, description: '' };
    const global = isGlobalPermission(key);
    const have = global
      ? hasGlobal(req.principal, key)
      : project
        ? hasProjectPermission(req.principal, project, key)
        : store.db.projects.some((p) => hasProjectPermission(req.principal, p, key));
    permissions[key] = { id: meta.id, key, name: meta.name, type: global ? 'GLOBAL' : 'PROJECT', description: meta.description, havePermission: have };
  }
  return { status: 200, body: { permissions } };
}

function tenantInfo(req: RouteRequest) {
  return { status: 200, body: { cloudId: req.site.cloudId } };
}

export const miscRoutes: Route[] = [
  route('GET', '/rest/api/3/serverInfo', serverInfo),
  route('GET', '/rest/api/3/myself', (req) => ({ status: 200, body: fullUser(req.site, req.principal.user) })),
  route('GET', '/rest/api/3/user', getUser),
  route('GET', '/rest/api/3/user/bulk', bulkUsers),
  route('GET', '/rest/api/3/user/search', searchUsers),
  route('GET', '/rest/api/3/user/assignable/search', assignableUsers),
  route('GET', '/rest/api/3/project/search', searchProjects),
  route('GET', '/rest/api/3/project/:projectIdOrKey', getProject),
  route('GET', '/rest/api/3/mypermissions', myPermissions),
  route('GET', '/_edge/tenant_info', tenantInfo),
];
