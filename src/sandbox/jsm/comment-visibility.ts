/**
 * Comment visibility on the platform API: `visibility: {type: 'group'|'role', value,
 * identifier}`, "Optional on create and update" (schema `Visibility`, specs/
 * jira-platform-rest-v3.openapi.json). Reads: "Comments are included in the response where
 * the user has ... If the comment has visibility restrictions, belongs to the group or has
 * the role visibility is restricted to."
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-get
 *
 * A restricted comment keeps `jsdPublic: true` ("Defaults to true when comments are created
 * in the Jira Cloud Platform"): JSM's public flag and visibility are separate, which is why
 * the app must check both before a comment reaches a customer.
 *
 * The stand-in's roles and groups follow its default permission scheme (docs silent on
 * which exist on a site; these are the names a JSM site ships with):
 *   role `Administrators` = project admins; role `Service Desk Team` = the project's agents;
 *   group `jira-administrators` = site admins; group `jira-servicedesk-users` = agents of any project.
 * Customers hold none of them. Docs silent on the app user: the stand-in lets the app read
 * every restricted comment, the worst case for a relay (it must filter them itself).
 * Unknown roles/groups, or ones the writer does not hold, are refused as Jira does.
 */
import { fieldError } from './errors.js';
import { isAgent, isProjectAdmin } from './permissions.js';
import type { CommentRecord, CommentVisibility, Principal, ProjectRecord, UserRecord } from './types.js';
import type { Site } from './site.js';

type Member = (site: Site, u: UserRecord, p: ProjectRecord) => boolean;

const ROLES: Record<string, Member> = {
  Administrators: (_s, u, p) => isProjectAdmin(u, p),
  'Service Desk Team': (_s, u, p) => isAgent(u, p),
};

/** Groups have an id (`identifier`) besides their mutable name (`value`). */
const GROUPS: Record<string, { id: string; member: Member }> = {
  'jira-administrators': { id: '5b1f3c53-0000-4000-8000-000000000001', member: (_s, u) => u.siteAdmin },
  'jira-servicedesk-users': { id: '5b1f3c53-0000-4000-8000-000000000002', member: (s, u) => s.store.db.projects.some((p) => isAgent(u, p)) },
};

function lookup(v: { type: string; value?: string | undefined; identifier?: string | undefined }): { visibility: CommentVisibility; member: Member } | null {
  if (v.type === 'role') {
    const name = v.identifier ?? v.value ?? '';
    const member = ROLES[name];
    return member ? { visibility: { type: 'role', value: name, identifier: name }, member } : null;
  }
  if (v.type === 'group') {
    const entry = Object.entries(GROUPS).find(([name, g]) => (v.identifier ? g.id === v.identifier : name === v.value));
    return entry ? { visibility: { type: 'group', value: entry[0], identifier: entry[1].id }, member: entry[1].member } : null;
  }
  return null;
}

function holds(site: Site, principal: Principal, project: ProjectRecord, v: CommentVisibility): boolean {
  if (principal.type === 'app') return true;
  const u = principal.user;
  if (u.accountType !== 'atlassian' || !u.active) return false;
  return lookup(v)?.member(site, u, project) ?? false;
}

/**
 * The visibility a create/update asks for: undefined = not given (an update keeps the
 * current one), null = none. Throws Jira's 400 when the writer does not hold the role/group.
 */
export function requestedVisibility(
  site: Site,
  principal: Principal,
  project: ProjectRecord,
  input: { type: string; value?: string | undefined; identifier?: string | undefined } | null | undefined,
): CommentVisibility | null | undefined {
  if (input === undefined || input === null) return input;
  const found = lookup(input);
  const name = input.value ?? input.identifier ?? '';
  if (!found || !holds(site, principal, project, found.visibility)) {
    throw fieldError(
      'commentLevel',
      input.type === 'group' ? `You are currently not a member of the group: ${name}.` : `You are currently not a member of the project role: ${name}.`,
    );
  }
  return found.visibility;
}

/** Whether a reader may see the comment at all (lists leave it out; single reads answer 404). */
export function canSeeComment(site: Site, principal: Principal, project: ProjectRecord, c: CommentRecord): boolean {
  return !c.visibility || holds(site, principal, project, c.visibility);
}
