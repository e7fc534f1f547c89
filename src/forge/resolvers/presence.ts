/**
 * Agent socket tickets and agent status. The ticket names only projects in which Jira
 * confirmed (as the caller) that they are an agent; the presence service trusts that
 * list because it arrives in a FIT-authenticated call from the app.
 */
import { route } from '@forge/api';
import type Resolver from '@forge/resolver';
import { forbidden } from '../lib/errors.js';
import { jira } from '../lib/jira.js';
import { assertAgentOfProject, isAgentOfProject } from '../lib/permissions.js';
import { chatProjects } from '../lib/project-config.js';
import { remote } from '../lib/remote.js';
import { define } from './define.js';

const MAX_TICKET_PROJECTS = 200;

/** Chat projects (from the kvs index), else every service desk the caller can see. */
async function candidateProjects(): Promise<string[]> {
  const known = (await chatProjects()).filter((p) => p.enabled).map((p) => p.projectKey);
  if (known.length) return known;
  const desks = await jira<{ values: { projectKey: string }[] }>('user', route`/rest/servicedeskapi/servicedesk?limit=${100}`);
  return desks.values.map((d) => d.projectKey);
}

export function registerPresence(r: Resolver): void {
  define(r, 'presence.ticket', async ({ projectKey }) => {
    let projects: string[];
    if (projectKey) {
      await assertAgentOfProject(projectKey);
      projects = [projectKey];
    } else {
      const candidates = (await candidateProjects()).slice(0, MAX_TICKET_PROJECTS);
      const checks = await Promise.all(candidates.map(async (k) => ((await isAgentOfProject(k)) ? k : null)));
      projects = checks.filter((k): k is string => k !== null);
    }
    if (projects.length === 0) throw forbidden('you are not an agent of any chat project');
    return remote('agent-ticket', { projects });
  });

  define(r, 'presence.setStatus', async ({ projectKey, status }) => {
    await assertAgentOfProject(projectKey);
    return remote('presence.set', { projectKey, status });
  });
}
