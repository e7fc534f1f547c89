/**
 * Agent grants: the app's signed word that the caller is an agent of some projects, checked
 * as the caller (mypermissions) just now. The agent page presents it to the presence service
 * in a frontend Forge Remote call whose token names the caller; the service issues the socket
 * ticket or sets the status only when both agree (protocol/agent-grant.ts). The app cannot do
 * this call itself: a backend Forge Remote call carries no user.
 */
import { route } from '@forge/api';
import type Resolver from '@forge/resolver';
import { signAgentGrant } from '../../protocol/agent-grant.js';
import { MAX_GRANT_PROJECTS } from '../../protocol/limits.js';
import { AppError, forbidden } from '../lib/errors.js';
import { jira } from '../lib/jira.js';
import { linkSecrets } from '../lib/link.js';
import { assertAgentOfProject, isAgentOfProject } from '../lib/permissions.js';
import { chatProjects } from '../lib/project-config.js';
import { define } from './define.js';

/** Chat projects (from the kvs index), else every service desk the caller can see. */
async function candidateProjects(): Promise<string[]> {
  const known = (await chatProjects()).filter((p) => p.enabled).map((p) => p.projectKey);
  if (known.length) return known;
  const desks = await jira<{ values: { projectKey: string }[] }>('user', route`/rest/servicedeskapi/servicedesk?limit=${100}`);
  return desks.values.map((d) => d.projectKey);
}

export function registerPresence(r: Resolver): void {
  define(r, 'presence.grant', async ({ projectKey }, caller) => {
    let projects: string[];
    if (projectKey) {
      await assertAgentOfProject(projectKey);
      projects = [projectKey];
    } else {
      const candidates = (await candidateProjects()).slice(0, MAX_GRANT_PROJECTS);
      const checks = await Promise.all(candidates.map(async (k) => ((await isAgentOfProject(k)) ? k : null)));
      projects = checks.filter((k): k is string => k !== null);
    }
    if (projects.length === 0) throw forbidden('you are not an agent of any chat project');
    const [secret] = await linkSecrets();
    if (!secret) throw new AppError('not_linked', 'the app is not linked to the presence service yet (Apps → Chat for JSM)');
    return { ...signAgentGrant(secret, { sub: caller.accountId, projects }), projects };
  });
}
