/**
 * Which classic scope a Jira / JSM REST call needs. Forge's lint would tell us for the platform
 * API, but no JSM spec is at hand, so the host itself refuses a call whose scope the manifest
 * does not declare, as Jira would. Only the endpoints the app uses are listed: an unlisted
 * path is refused too, with a message that says to add it here.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
interface Rule {
  readonly methods: readonly Method[];
  readonly path: RegExp;
  readonly anyOf: readonly string[];
}

const ID = '[^/]+';
const R = (methods: Method[], path: string, ...anyOf: string[]): Rule => Object.freeze({ methods, path: new RegExp(`^${path}/?$`), anyOf });
const READ_WORK = 'read:jira-work';
const WRITE_WORK = 'write:jira-work';
const READ_USER = 'read:jira-user';
const READ_SD = 'read:servicedesk-request';
const WRITE_SD = 'write:servicedesk-request';
const MANAGE_CUSTOMER = 'manage:servicedesk-customer';
const MANAGE_CONFIG = 'manage:jira-configuration';

export const SCOPE_RULES: readonly Rule[] = Object.freeze([
  // platform: issues, comments, properties, transitions
  R(['POST'], '/rest/api/[23]/issue', WRITE_WORK),
  R(['GET'], `/rest/api/[23]/issue/${ID}`, READ_WORK),
  R(['PUT', 'DELETE'], `/rest/api/[23]/issue/${ID}`, WRITE_WORK),
  R(['GET'], `/rest/api/[23]/issue/${ID}/comment(/${ID})?`, READ_WORK),
  R(['POST'], `/rest/api/[23]/issue/${ID}/comment`, WRITE_WORK),
  R(['PUT', 'DELETE'], `/rest/api/[23]/issue/${ID}/comment/${ID}`, WRITE_WORK),
  R(['GET'], `/rest/api/[23]/issue/${ID}/properties(/${ID})?`, READ_WORK),
  R(['PUT', 'DELETE'], `/rest/api/[23]/issue/${ID}/properties/${ID}`, WRITE_WORK),
  R(['GET'], `/rest/api/[23]/issue/${ID}/transitions`, READ_WORK),
  R(['POST'], `/rest/api/[23]/issue/${ID}/transitions`, WRITE_WORK),
  R(['PUT'], `/rest/api/[23]/issue/${ID}/assignee`, WRITE_WORK),
  R(['GET'], `/rest/api/[23]/comment/${ID}/properties(/${ID})?`, READ_WORK),
  R(['PUT', 'DELETE'], `/rest/api/[23]/comment/${ID}/properties/${ID}`, WRITE_WORK),
  R(['POST'], '/rest/api/[23]/comment/list', READ_WORK),
  // platform: search
  R(['GET', 'POST'], '/rest/api/[23]/search(/jql)?', READ_WORK),
  R(['POST'], '/rest/api/[23]/search/approximate-count', READ_WORK),
  // platform: users and permissions
  R(['GET'], '/rest/api/[23]/(user|user/bulk|user/search|user/assignable/search|users/search|myself)', READ_USER),
  R(['GET'], '/rest/api/[23]/mypermissions', READ_WORK, READ_USER),
  R(['POST'], '/rest/api/[23]/permissions/check', READ_WORK, READ_USER),
  // platform: projects and their properties
  R(['GET'], `/rest/api/[23]/project(/search|/${ID})?`, READ_WORK),
  R(['GET'], `/rest/api/[23]/project/${ID}/properties(/${ID})?`, READ_WORK),
  R(['PUT', 'DELETE'], `/rest/api/[23]/project/${ID}/properties/${ID}`, WRITE_WORK, MANAGE_CONFIG),
  R(['GET'], `/rest/api/[23]/project/${ID}/role(/${ID})?`, READ_WORK, MANAGE_CONFIG),
  // JSM: customers, requests, service desks
  R(['POST'], '/rest/servicedeskapi/customer', MANAGE_CUSTOMER),
  R(['GET', 'POST', 'DELETE'], `/rest/servicedeskapi/servicedesk/${ID}/customer`, MANAGE_CUSTOMER),
  R(['POST'], '/rest/servicedeskapi/request', WRITE_SD),
  R(['GET'], `/rest/servicedeskapi/request(/${ID})?`, READ_SD),
  R(['GET'], `/rest/servicedeskapi/request/${ID}/(comment|status|participant|transition|sla|attachment|feedback)(/${ID})?`, READ_SD),
  R(['POST'], `/rest/servicedeskapi/request/${ID}/(comment|transition|participant|attachment)`, WRITE_SD),
  // attachTemporaryFile: JSM Cloud REST page lists write:servicedesk-request for it (OAuth 2.0 scopes).
  R(['POST'], `/rest/servicedeskapi/servicedesk/${ID}/attachTemporaryFile`, WRITE_SD),
  R(['POST', 'DELETE'], `/rest/servicedeskapi/request/${ID}/feedback`, WRITE_SD),
  R(['DELETE'], `/rest/servicedeskapi/request/${ID}/participant`, WRITE_SD),
  R(['GET'], `/rest/servicedeskapi/servicedesk(/${ID})?`, READ_SD),
  R(['GET'], `/rest/servicedeskapi/servicedesk/${ID}/(requesttype|queue)(/${ID})?(/field|/issue)?`, READ_SD),
  R(['GET'], '/rest/servicedeskapi/info', READ_SD),
]);

export type ScopeDecision = { ok: true } | { ok: false; message: string };

/** Decides whether an app with `declared` scopes may call `method path` (query string ignored). */
export function checkScope(declared: ReadonlySet<string>, method: string, path: string): ScopeDecision {
  const pathOnly = path.split('?')[0] ?? path;
  const m = method.toUpperCase();
  const rule = SCOPE_RULES.find((r) => (r.methods as readonly string[]).includes(m) && r.path.test(pathOnly));
  if (!rule) {
    return {
      ok: false,
      message: `Unauthorized; the local Forge host knows no scope for ${m} ${pathOnly}. Add the endpoint to src/sandbox/forge-host/scopes.ts with the scope Atlassian documents for it.`,
    };
  }
  if (rule.anyOf.some((s) => declared.has(s))) return { ok: true };
  return {
    ok: false,
    message: `Unauthorized; scope does not match. ${m} ${pathOnly} requires scope "${rule.anyOf.join('" or "')}", which manifest.yml does not declare.`,
  };
}
