/**
 * A chat's lifecycle in Jira: closing resolves the request, the customer's next message
 * within the project's reopen window reopens it (the same request, transitioned back),
 * after the window a new chat starts.
 *
 * Transitions are found, never hard-coded: each site has its own workflow, so we read
 * the ones Jira offers for the issue now (GET .../transitions, with
 * `expand=transitions.fields` so a transition screen's required fields are known) and
 * pick by the target status CATEGORY (`done` to resolve, anything else to reopen).
 * A resolving transition whose screen asks for a resolution gets one of its allowed values
 * ("Done" when offered): JSM's "Resolve this issue" has such a screen.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-get
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-post
 */
import { chatClosed } from './chat-events.js';
import { route } from '@forge/api';
import { DEFAULT_REOPEN_WINDOW_MINUTES } from '../../protocol/limits.js';
import type { ConversationProperty } from '../../protocol/jira-properties.js';
import { projectKeyOf } from '../../protocol/ids.js';
import { announceQuietly } from './activity.js';
import { kvs } from '@forge/kvs';
import { conversationFrom, writeConversation } from './conversation.js';
import { getChatIssue } from './issues.js';
import { jira, jiraRaw, type Actor } from './jira.js';
import { projectConfig } from './project-config.js';

interface TransitionField {
  required?: boolean;
  allowedValues?: { id?: string; name?: string }[];
}
interface Transition {
  id: string;
  name?: string;
  to?: { id?: string; statusCategory?: { key?: string } };
  fields?: Record<string, TransitionField>;
}

async function transitions(as: Actor, issueKey: string): Promise<Transition[]> {
  const r = await jiraRaw(as, route`/rest/api/3/issue/${issueKey}/transitions?expand=${'transitions.fields'}`);
  if (r.status !== 200) return [];
  return (JSON.parse(r.text) as { transitions?: Transition[] }).transitions ?? [];
}

/** The transition's body: a required resolution gets "Done" when offered, else the first allowed value. */
function transitionBody(t: Transition): Record<string, unknown> {
  const res = t.fields?.['resolution'];
  if (!res?.allowedValues?.length) return { transition: { id: t.id } };
  const pick = res.allowedValues.find((v) => v.name === 'Done') ?? res.allowedValues[0]!;
  return { transition: { id: t.id }, fields: { resolution: pick.id ? { id: pick.id } : { name: pick.name } } };
}

type StatusAnswer = { fields?: { status?: { id?: string; statusCategory?: { key?: string } } } };
const currentStatus = async (as: Actor, issueKey: string) =>
  (await jira<StatusAnswer>(as, route`/rest/api/3/issue/${issueKey}?fields=${'status'}`)).fields?.status;

/**
 * Moves the request to a done status. `resolved` false when the workflow offers no resolving
 * transition now (e.g. already resolved); `fromStatusId`: where it was, for a later reopen.
 */
export async function resolveRequest(as: Actor, issueKey: string): Promise<{ resolved: boolean; fromStatusId?: string }> {
  const [status, all] = await Promise.all([currentStatus(as, issueKey), transitions(as, issueKey)]);
  const done = all.find((t) => t.to?.statusCategory?.key === 'done');
  if (!done || status?.statusCategory?.key === 'done') return { resolved: false };
  await jira(as, route`/rest/api/3/issue/${issueKey}/transitions`, { method: 'POST', body: transitionBody(done) });
  return { resolved: true, ...(status?.id ? { fromStatusId: status.id } : {}) };
}

/**
 * Moves a resolved request back to an open status: the one it had before the close when a
 * transition leads there (JSM: "Waiting for support"), else the first "to do", else "in progress".
 */
export async function unresolveRequest(as: Actor, issueKey: string, toStatusId?: string): Promise<boolean> {
  // Only from a done status: a second reopen racing the first must not move an open request on.
  if ((await currentStatus(as, issueKey))?.statusCategory?.key !== 'done') return false;
  const all = await transitions(as, issueKey);
  const back =
    (toStatusId ? all.find((t) => t.to?.id === toStatusId) : undefined) ??
    all.find((t) => t.to?.statusCategory?.key === 'new') ??
    all.find((t) => t.to?.statusCategory?.key === 'indeterminate');
  if (!back) return false;
  await jira(as, route`/rest/api/3/issue/${issueKey}/transitions`, { method: 'POST', body: { transition: { id: back.id } } });
  return true;
}

/** The project's reopen window in ms (setting, else the default). */
export async function reopenWindowMs(projectKey: string): Promise<number> {
  const config = await projectConfig(projectKey).catch(() => null);
  return (config?.reopenWindowMinutes ?? DEFAULT_REOPEN_WINDOW_MINUTES) * 60_000;
}

/** True when a closed chat still reopens on the customer's message at `nowMs`. */
export function withinReopenWindow(conv: ConversationProperty, windowMs: number, nowMs: number): boolean {
  if (conv.status !== 'closed' || !conv.closedAt) return false;
  return nowMs - Date.parse(conv.closedAt) <= windowMs;
}

/**
 * The customer's latest closed chat in a project, kept in Forge storage (not found by JQL:
 * search lags writes, and the customer's next message may come a second after the close).
 * The issue is then read by key, which is consistent.
 */
export interface ClosedChat {
  issueKey: string;
  issueId?: string;
}
const closedKey = (projectKey: string, customerAccountId: string) => `chat-closed:${projectKey}:${customerAccountId}`;
/** Longer than any window the setting allows; the window itself is checked against `closedAt`. */
const CLOSED_TTL = { value: 31, unit: 'DAYS' } as const;

export async function rememberClosed(customerAccountId: string, chat: ClosedChat): Promise<void> {
  await kvs.set(closedKey(projectKeyOf(chat.issueKey), customerAccountId), chat, { ttl: CLOSED_TTL });
}

export async function lastClosed(projectKey: string, customerAccountId: string): Promise<ClosedChat | undefined> {
  return kvs.get<ClosedChat>(closedKey(projectKey, customerAccountId));
}

/** Marks the conversation closed (with the start of its reopen window) and tells agents and the customer. */
export async function markClosed(
  issueKey: string,
  conv: ConversationProperty,
  nowMs: number,
  opts: { issue?: { id: string; projectKey: string }; fromStatusId?: string } = {},
): Promise<void> {
  const at = new Date(nowMs).toISOString();
  const { issue, fromStatusId } = opts;
  await announceQuietly(issueKey, 'closed', { at, status: 'closed' });
  if (conv.status !== 'closed' || !conv.closedAt) {
    await chatClosed(issueKey, conv, nowMs);
    await writeConversation(issueKey, { ...conv, status: 'closed', closedAt: at, ...(fromStatusId ? { reopenStatusId: fromStatusId } : {}) }, issue);
  }
  await rememberClosed(conv.customerAccountId, { issueKey, ...(issue ? { issueId: issue.id } : {}) });
}

/**
 * The chat a customer's new message should reopen: their latest closed chat in the project
 * when it closed within the window; undefined means a new chat starts.
 */
export async function reopenableChat(
  projectKey: string,
  customerAccountId: string,
  nowMs: number,
): Promise<{ issueKey: string; issueId: string; conv: ConversationProperty } | undefined> {
  const last = await lastClosed(projectKey, customerAccountId);
  if (!last) return undefined;
  const issue = await getChatIssue('app', last.issueKey);
  const conv = conversationFrom(issue?.properties);
  if (!issue || !conv || conv.customerAccountId !== customerAccountId) return undefined;
  if (!withinReopenWindow(conv, await reopenWindowMs(projectKey), nowMs)) return undefined;
  return { issueKey: issue.key, issueId: String(issue.id), conv };
}

/**
 * Reopens a closed chat for the customer's message: the request goes back to an open
 * status (as the app: the customer has no transition permission), the property says open,
 * agents get `reopened` and the customer's clients `conversation.updated` open.
 */
export async function reopen(issueKey: string, conv: ConversationProperty, nowMs: number, issueId?: string): Promise<void> {
  await unresolveRequest('app', issueKey, conv.reopenStatusId);
  const { closedAt: _closed, reopenStatusId: _was, ...rest } = conv;
  await writeConversation(issueKey, { ...rest, status: 'open' }, issueId ? { id: issueId, projectKey: projectKeyOf(issueKey) } : undefined);
  await announceQuietly(issueKey, 'reopened', { at: new Date(nowMs).toISOString(), status: 'open' });
}
