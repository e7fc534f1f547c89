/**
 * The project settings page. Agents and project admins may look; only project admins
 * (or Jira admins) may change anything, checked with Jira before any write.
 * The configuration itself lives in the presence service (it serves the widget).
 */
import { route } from '@forge/api';
import type Resolver from '@forge/resolver';
import { AppError, forbidden } from '../lib/errors.js';
import { jira } from '../lib/jira.js';
import { embedSnippet, presenceUrl } from '../lib/link.js';
import { assertProjectAdmin, isAgentOfProject, isProjectAdmin } from '../lib/permissions.js';
import { forgetProjectConfig, rememberChatProject } from '../lib/project-config.js';
import { remote, remoteOr } from '../lib/remote.js';
import { displayNames, serviceDeskOf } from './common.js';
import { partyOf } from '../lib/issues.js';
import type { JiraUser } from '../lib/messages.js';
import { MAX_FOUND_AGENTS } from '../../protocol/limits.js';
import { define } from './define.js';

const MAX_LISTED_AGENTS = 50;
/** Shown when the service never told its public URL: the admin replaces it by hand. */
const UNKNOWN_PRESENCE_URL = 'https://YOUR-PRESENCE-SERVICE';

export function registerProjectSettings(r: Resolver): void {
  define(r, 'projectSettings.load', async ({ projectKey }) => {
    const [canEdit, agent] = await Promise.all([isProjectAdmin(projectKey), isAgentOfProject(projectKey)]);
    if (!canEdit && !agent) throw forbidden(`you may not see the chat settings of ${projectKey}`);
    const project = await jira<{ id: string }>('user', route`/rest/api/3/project/${projectKey}`);
    const desk = await serviceDeskOf(projectKey);
    const requestTypes = desk
      ? (await jira<{ values: { id: string; name: string }[] }>('app', route`/rest/servicedeskapi/servicedesk/${desk.id}/requesttype?limit=${100}`)).values.map(
          (t) => ({ id: String(t.id), name: t.name }),
        )
      : [];
    const [cfg, presence, baseUrl] = await Promise.all([
      remoteOr('project-config.get', { projectKey }, { config: null }),
      remoteOr('presence.get', { projectKey }, null),
      presenceUrl(),
    ]);
    const agents = (presence?.agents ?? []).slice(0, MAX_LISTED_AGENTS);
    const [names, schedules] = await Promise.all([
      displayNames(agents.map((a) => a.accountId)),
      Promise.all(agents.map((a) => remoteOr('agent-schedule.get', { projectKey, accountId: a.accountId }, { schedule: null }))),
    ]);
    return {
      canEdit,
      config: cfg.config,
      requestTypes,
      serviceDeskId: desk?.id ?? null,
      projectId: String(project.id),
      agents: agents.map((a, i) => ({ ...a, name: names.get(a.accountId) ?? a.accountId, schedule: schedules[i]?.schedule ?? null })),
      embedSnippet: cfg.config && baseUrl ? embedSnippet(baseUrl, cfg.config.widgetId) : null,
    };
  });

  define(r, 'projectSettings.save', async ({ projectKey, config }) => {
    await assertProjectAdmin(projectKey);
    if (config.projectKey !== projectKey) throw new AppError('invalid', 'config.projectKey must be the project being edited');
    // The service desk and project ids must be this project's own: a config must not
    // point the widget's requests into another project.
    const desk = await serviceDeskOf(projectKey);
    if (!desk) throw new AppError('invalid', `${projectKey} is not a service project`);
    if (desk.id !== config.serviceDeskId || desk.projectId !== config.projectId) {
      throw new AppError('invalid', `serviceDeskId/projectId do not belong to ${projectKey} (expected ${desk.id}/${desk.projectId})`);
    }
    const types = await jira<{ values: { id: string }[] }>('app', route`/rest/servicedeskapi/servicedesk/${desk.id}/requesttype?limit=${100}`);
    if (!types.values.some((t) => String(t.id) === config.requestTypeId))
      throw new AppError('invalid', `request type ${config.requestTypeId} is not in ${projectKey}`);
    const saved = await remote('project-config.put', { config });
    forgetProjectConfig(projectKey);
    await rememberChatProject({ projectKey, projectId: desk.projectId, serviceDeskId: desk.id, enabled: saved.config.enabled });
    return { config: saved.config, embedSnippet: embedSnippet((await presenceUrl()) ?? UNKNOWN_PRESENCE_URL, saved.config.widgetId) };
  });

  define(r, 'projectSettings.rotateSecret', async ({ projectKey }) => {
    await assertProjectAdmin(projectKey);
    return remote('project-config.rotate-secret', { projectKey });
  });

  define(r, 'projectSettings.saveAgentSchedule', async ({ projectKey, accountId, schedule }, caller) => {
    // Agents keep their own hours; anyone else's need a project admin.
    if (accountId === caller.accountId) {
      if (!(await isAgentOfProject(projectKey)) && !(await isProjectAdmin(projectKey))) throw forbidden(`you are not an agent of ${projectKey}`);
    } else {
      await assertProjectAdmin(projectKey);
      // Hours belong to agents of this project only: Jira says who may be assigned its issues.
      const found = await jira<JiraUser[]>('user', route`/rest/api/3/user/assignable/search?project=${projectKey}&accountId=${accountId}`);
      if (!found.some((u) => u.accountId === accountId)) throw forbidden(`${accountId} is not an agent of ${projectKey}`);
    }
    return remote('agent-schedule.put', { projectKey, accountId, schedule });
  });

  /**
   * Agents of the project by name or email prefix, as the admin sees them in Jira, so hours
   * can be set for agents who are not online (the presence service knows only those who
   * used chat). Jira's assignable-user search needs a query, so the page searches as you type.
   */
  define(r, 'projectSettings.findAgents', async ({ projectKey, query }) => {
    await assertProjectAdmin(projectKey);
    const users = await jira<JiraUser[]>('user', route`/rest/api/3/user/assignable/search?project=${projectKey}&query=${query}&maxResults=${MAX_FOUND_AGENTS}`);
    const agents = users.flatMap((u) => (u.accountId && u.accountType !== 'customer' ? [partyOf(u, u.accountId)!] : [])).slice(0, MAX_FOUND_AGENTS);
    return { agents };
  });

  define(r, 'projectSettings.forceOffline', async ({ projectKey, accountId }) => {
    await assertProjectAdmin(projectKey);
    return remote('presence.set', { projectKey, accountId, status: 'offline', forced: true });
  });
}
