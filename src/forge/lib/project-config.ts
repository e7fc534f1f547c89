/**
 * Project chat configuration lives in the presence service (it serves the widget);
 * the app reads it over Forge Remote. A short in-memory cache spares a remote round trip
 * per customer message while a Forge instance stays warm; settings saves clear it.
 * Beside it, kvs keeps `project:<KEY>` = {projectId, serviceDeskId}: the list of projects
 * with chat, so the agent ticket can be scoped without asking Jira for every project.
 */
import { kvs, WhereConditions } from '@forge/kvs';
import type { ProjectChatConfig } from '../../protocol/model.js';
import { remote } from './remote.js';

const CONFIG_CACHE_MS = 30_000;
const cache = new Map<string, { at: number; config: ProjectChatConfig | null }>();

export async function projectConfig(projectKey: string, nowMs = Date.now()): Promise<ProjectChatConfig | null> {
  const hit = cache.get(projectKey);
  if (hit && nowMs - hit.at < CONFIG_CACHE_MS) return hit.config;
  const { config } = await remote('project-config.get', { projectKey });
  cache.set(projectKey, { at: nowMs, config });
  return config;
}

export function forgetProjectConfig(projectKey: string): void {
  cache.delete(projectKey);
}

export interface ChatProjectEntry {
  projectKey: string;
  projectId: string;
  serviceDeskId: string;
  enabled: boolean;
}

const PROJECT_PREFIX = 'project:';

export async function rememberChatProject(entry: ChatProjectEntry): Promise<void> {
  await kvs.set(PROJECT_PREFIX + entry.projectKey, entry);
}

export async function chatProjects(): Promise<ChatProjectEntry[]> {
  const out: ChatProjectEntry[] = [];
  let cursor: string | undefined;
  // Bounded: a site has at most a few hundred service projects.
  for (let i = 0; i < 10; i++) {
    let q = kvs.query().where('key', WhereConditions.beginsWith(PROJECT_PREFIX)).limit(100);
    if (cursor) q = q.cursor(cursor);
    const page = await q.getMany<ChatProjectEntry>();
    out.push(...page.results.map((r) => r.value));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return out;
}
