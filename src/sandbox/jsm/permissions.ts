/**
 * Who may do what, the way a JSM site with default permission schemes answers:
 * agents and project admins work in their projects, site admins and the app anywhere,
 * customers only through the portal API and only on their own requests.
 */
import type { IssueRecord, Principal, ProjectRecord, UserRecord } from './types.js';

export const PROJECT_PERMISSIONS = [
  'BROWSE_PROJECTS',
  'CREATE_ISSUES',
  'EDIT_ISSUES',
  'ASSIGN_ISSUES',
  'ASSIGNABLE_USER',
  'TRANSITION_ISSUES',
  'RESOLVE_ISSUES',
  'CLOSE_ISSUES',
  'ADD_COMMENTS',
  'EDIT_OWN_COMMENTS',
  'EDIT_ALL_COMMENTS',
  'DELETE_OWN_COMMENTS',
  'DELETE_ALL_COMMENTS',
  'ADMINISTER_PROJECTS',
  'SERVICEDESK_AGENT',
] as const;
export const GLOBAL_PERMISSIONS = ['ADMINISTER', 'SYSTEM_ADMIN', 'USER_PICKER', 'CREATE_SHARED_OBJECTS'] as const;
export type PermissionKey = (typeof PROJECT_PERMISSIONS)[number] | (typeof GLOBAL_PERMISSIONS)[number];

const ADMIN_ONLY = new Set<string>(['ADMINISTER_PROJECTS', 'EDIT_ALL_COMMENTS', 'DELETE_ALL_COMMENTS']);

export function isKnownPermission(key: string): key is PermissionKey {
  return (PROJECT_PERMISSIONS as readonly string[]).includes(key) || (GLOBAL_PERMISSIONS as readonly string[]).includes(key);
}
export function isGlobalPermission(key: string): boolean {
  return (GLOBAL_PERMISSIONS as readonly string[]).includes(key);
}

export const isAgent = (u: UserRecord, p: ProjectRecord) => p.agents.includes(u.accountId);
export const isProjectAdmin = (u: UserRecord, p: ProjectRecord) => u.siteAdmin || p.admins.includes(u.accountId);

/**
 * The app's user holds Administer Jira only while the site grants it (Forge app users get
 * it through the atlassian-addons-admin group, which an admin can change); the seeded
 * record's `siteAdmin` carries that grant.
 */
export function hasGlobal(principal: Principal, key: string): boolean {
  const u = principal.user;
  if (principal.type === 'app') return key === 'ADMINISTER' || key === 'SYSTEM_ADMIN' ? u.siteAdmin : true;
  if (key === 'ADMINISTER' || key === 'SYSTEM_ADMIN') return u.siteAdmin;
  return u.accountType === 'atlassian';
}

/** Project permission for a principal; customers hold none (they use the portal). */
export function hasProjectPermission(principal: Principal, project: ProjectRecord, key: string): boolean {
  if (principal.type === 'app') return key !== 'ASSIGNABLE_USER';
  const u = principal.user;
  if (u.accountType !== 'atlassian' || !u.active) return false;
  if (ADMIN_ONLY.has(key)) return isProjectAdmin(u, project);
  return isAgent(u, project) || isProjectAdmin(u, project);
}

export const canBrowse = (principal: Principal, project: ProjectRecord) => hasProjectPermission(principal, project, 'BROWSE_PROJECTS');

/** Portal-side view of a request: its reporter, or anyone who may browse the project. */
export function canViewRequest(principal: Principal, project: ProjectRecord, issue: IssueRecord): boolean {
  return canBrowse(principal, project) || issue.reporterId === principal.user.accountId;
}

export function isAssignable(user: UserRecord, project: ProjectRecord): boolean {
  return user.accountType === 'atlassian' && user.active && (isAgent(user, project) || project.admins.includes(user.accountId));
}
