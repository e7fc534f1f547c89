/**
 * `avi:jira:updated:issue` on chat requests: resolving the request closes the chat;
 * a new assignee is announced. The activity is sent before the property is written, so
 * an event retry after a partial failure sends it again (harmless) instead of losing it.
 * A failure is returned to Forge as an InvocationError (lib/event-retry.ts): a throw would
 * not be retried. `filter: ignoreSelf` (manifest.yml) is safe here: the app never assigns
 * or transitions an issue as itself (chat.take / chat.close act as the agent, asUser), so
 * every change this handler cares about is caused by a person and still delivered.
 */
import type { InvocationError } from '@forge/events';
import { retryLater, type RetryableEvent } from '../lib/event-retry.js';
import { readConversation, writeConversation } from '../lib/conversation.js';
import { getChatIssue } from '../lib/issues.js';
import { announce } from '../lib/activity.js';
import { rememberClosed } from '../lib/lifecycle.js';

export interface IssueEvent extends RetryableEvent {
  eventType?: string;
  issue?: { id?: string; key?: string };
  changelog?: { items?: { field?: string; fieldId?: string; from?: string | null; to?: string | null; toString?: string | null }[] };
}

export type IssueOutcome = { closed: boolean; assigned: boolean };

export async function handleIssue(event: IssueEvent, nowMs = Date.now()): Promise<IssueOutcome> {
  const out = { closed: false, assigned: false };
  const key = event.issue?.key;
  if (!key || event.eventType === 'avi:jira:created:issue') return out;
  const conv = await readConversation(key);
  if (!conv) return out;
  const issue = await getChatIssue('app', key);
  if (!issue) return out;
  const at = new Date(nowMs).toISOString();
  const items = event.changelog?.items ?? [];

  const assigneeChange = items.find((i) => i.field === 'assignee' || i.fieldId === 'assignee');
  if (assigneeChange) {
    await announce(key, 'assigned', { at, assignee: issue.fields.assignee?.displayName ?? null });
    out.assigned = true;
  }
  if (issue.fields.status?.statusCategory?.key === 'done' && conv.status === 'open') {
    await announce(key, 'closed', { at, status: 'closed' });
    const from = items.find((i) => i.field === 'status' || i.fieldId === 'status')?.from;
    await writeConversation(
      key,
      { ...conv, status: 'closed', closedAt: at, ...(from ? { reopenStatusId: from } : {}) },
      issue.fields.project?.key ? { id: String(issue.id), projectKey: issue.fields.project.key } : undefined,
    );
    // The customer's next message within the project's window reopens it (lifecycle.ts).
    await rememberClosed(conv.customerAccountId, { issueKey: key, issueId: String(issue.id) });
    out.closed = true;
  }
  return out;
}

export async function onIssue(event: IssueEvent): Promise<InvocationError | undefined> {
  try {
    await handleIssue(event);
    return undefined;
  } catch (e) {
    return retryLater('issue trigger', event, e);
  }
}
