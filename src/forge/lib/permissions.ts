/**
 * Server-side permission checks, always asked of Jira *as the calling user* so that
 * Jira's own permission schemes decide. Every resolver calls one of these before it
 * reads or writes anything as the app.
 *
 * Why SERVICEDESK_AGENT and not only BROWSE_PROJECTS: in JSM projects Jira evaluates
 * BROWSE_PROJECTS "similarly to a user in the customer portal", so portal customers can
 * hold it. Chat tools are for agents, so chat reads and writes need the agent permission.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-mypermissions-get
 */
import { route } from '@forge/api';
import { forbidden } from './errors.js';
import { jira, JiraError } from './jira.js';

export const BROWSE = 'BROWSE_PROJECTS';
export const AGENT = 'SERVICEDESK_AGENT';
export const PROJECT_ADMIN = 'ADMINISTER_PROJECTS';
export const JIRA_ADMIN = 'ADMINISTER';

type PermissionAnswer = { permissions: Record<string, { havePermission?: boolean } | undefined> };
export type Scope = { issueKey: string } | { projectKey: string } | Record<string, never>;

/** Which of `keys` the caller holds in the scope; an unknown issue/project means none. */
export async function myPermissions(scope: Scope, keys: readonly string[]): Promise<Set<string>> {
  const perms = keys.join(',');
  const path =
    'issueKey' in scope
      ? route`/rest/api/3/mypermissions?issueKey=${scope.issueKey}&permissions=${perms}`
      : 'projectKey' in scope
        ? route`/rest/api/3/mypermissions?projectKey=${scope.projectKey}&permissions=${perms}`
        : route`/rest/api/3/mypermissions?permissions=${perms}`;
  let answer: PermissionAnswer;
  try {
    answer = await jira<PermissionAnswer>('user', path);
  } catch (e) {
    // Jira answers 404 for an issue or project the caller cannot see at all.
    if (e instanceof JiraError && (e.jiraStatus === 404 || e.jiraStatus === 400)) return new Set();
    throw e;
  }
  return new Set(keys.filter((k) => answer.permissions?.[k]?.havePermission === true));
}

/** The caller may work on this issue's chat (sees the issue and is an agent of its project). */
export async function assertAgentOnIssue(issueKey: string): Promise<void> {
  const have = await myPermissions({ issueKey }, [BROWSE, AGENT]);
  if (!have.has(BROWSE) || !have.has(AGENT)) throw forbidden(`you are not an agent who may see ${issueKey}`);
}

export async function isAgentOfProject(projectKey: string): Promise<boolean> {
  const have = await myPermissions({ projectKey }, [BROWSE, AGENT]);
  return have.has(BROWSE) && have.has(AGENT);
}

export async function assertAgentOfProject(projectKey: string): Promise<void> {
  if (!(await isAgentOfProject(projectKey))) throw forbidden(`you are not an agent of project ${projectKey}`);
}

/** Project admins and Jira admins may change a project's chat settings. */
export async function isProjectAdmin(projectKey: string): Promise<boolean> {
  const have = await myPermissions({ projectKey }, [PROJECT_ADMIN, JIRA_ADMIN]);
  return have.has(PROJECT_ADMIN) || have.has(JIRA_ADMIN);
}

export async function assertProjectAdmin(projectKey: string): Promise<void> {
  if (!(await isProjectAdmin(projectKey))) throw forbidden(`you are not an administrator of project ${projectKey}`);
}

export async function isJiraAdmin(): Promise<boolean> {
  return (await myPermissions({}, [JIRA_ADMIN])).has(JIRA_ADMIN);
}

/**
 * Whether the app's own user holds Administer Jira, which creating JSM customers needs.
 * Asked as the app (mypermissions answers for the caller).
 */
export async function appIsJiraAdmin(): Promise<boolean> {
  const answer = await jira<PermissionAnswer>('app', route`/rest/api/3/mypermissions?permissions=${JIRA_ADMIN}`);
  return answer.permissions?.[JIRA_ADMIN]?.havePermission === true;
}

export async function assertJiraAdmin(): Promise<void> {
  if (!(await isJiraAdmin())) throw forbidden('only Jira administrators may do this');
}
