/**
 * The context a Custom UI frame sees (`view.getContext()`) and its resolver receives, shaped
 * like Jira's: extension with the issue / project the module is rendered for.
 */
import type { UiModuleDef } from './manifest.js';
import type { JsmLike } from './types.js';

export interface FrameParams {
  accountId: string;
  issueKey?: string;
  projectKey?: string;
}

interface Ids {
  appId: string;
  environmentId: string;
  cloudId: string;
  siteUrl: string;
}

async function getJson(jira: JsmLike, path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const r = await fetch(new URL(path, jira.url), { headers: { accept: 'application/json', ...jira.hostAuthHeaders({ type: 'app' }) } });
    return r.ok ? ((await r.json()) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function projectOf(jira: JsmLike, key: string): Promise<Record<string, unknown>> {
  const p = await getJson(jira, `/rest/api/3/project/${encodeURIComponent(key)}`);
  return { id: String(p?.['id'] ?? ''), key: String(p?.['key'] ?? key), type: String(p?.['projectTypeKey'] ?? '') };
}

export async function buildExtension(jira: JsmLike, mod: UiModuleDef, p: FrameParams): Promise<Record<string, unknown>> {
  const ext: Record<string, unknown> = { type: mod.type };
  if (p.issueKey) {
    const issue = await getJson(jira, `/rest/api/3/issue/${encodeURIComponent(p.issueKey)}?fields=issuetype,project`);
    const fields = (issue?.['fields'] ?? {}) as Record<string, Record<string, unknown> | undefined>;
    ext['issue'] = {
      id: String(issue?.['id'] ?? ''),
      key: String(issue?.['key'] ?? p.issueKey),
      type: String(fields['issuetype']?.['name'] ?? ''),
      typeId: String(fields['issuetype']?.['id'] ?? ''),
    };
    const projectKey = p.projectKey ?? (fields['project']?.['key'] as string | undefined);
    if (projectKey) ext['project'] = await projectOf(jira, projectKey);
    ext['isNewToIssue'] = false;
  } else if (p.projectKey) {
    ext['project'] = await projectOf(jira, p.projectKey);
  }
  return ext;
}

export function buildContext(ids: Ids, mod: UiModuleDef, accountId: string | undefined, extension: Record<string, unknown>): Record<string, unknown> {
  return {
    ...(accountId ? { accountId } : {}),
    cloudId: ids.cloudId,
    moduleKey: mod.key,
    localId: `ari:cloud:ecosystem::extension/${ids.appId}/${ids.environmentId}/static/${mod.key}`,
    extension,
    siteUrl: ids.siteUrl,
    environmentId: ids.environmentId,
    environmentType: 'DEVELOPMENT',
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    locale: 'en-US',
  };
}
