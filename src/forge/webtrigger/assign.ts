/**
 * `assign`: automatic assignment (issue 15). The presence service chose the agent and holds
 * a capacity slot for them; the assignment itself happens here, in Jira: the agent becomes
 * the request's assignee (as the app: Jira refuses an account that may not be assigned the
 * project's issues), and the customer and agents hear that the agent joined.
 * A closed chat, or one an agent already took by hand, is left alone: `assigned: false`,
 * and the service frees the slot.
 */
import { route } from '@forge/api';
import type { InboundCall, InboundResponseOf } from '../../protocol/webtrigger.js';
import { conversationFrom } from '../lib/conversation.js';
import { getChatIssue } from '../lib/issues.js';
import { jira } from '../lib/jira.js';
import { announceJoined } from '../lib/joined.js';
import type { JiraUser } from '../lib/messages.js';

type AssignCall = Extract<InboundCall, { type: 'assign' }>;

export async function assignChat(call: AssignCall): Promise<InboundResponseOf<'assign'>> {
  const issue = await getChatIssue('app', call.conversationId);
  const conv = conversationFrom(issue?.properties);
  if (!issue || !conv || conv.status !== 'open') return { assigned: false };
  const current = issue.fields.assignee?.accountId;
  if (current) return { assigned: current === call.accountId };
  await jira('app', route`/rest/api/3/issue/${issue.key}/assignee`, { method: 'PUT', body: { accountId: call.accountId } });
  const agent = await jira<JiraUser>('app', route`/rest/api/3/user?accountId=${call.accountId}`);
  await announceJoined(issue.key, { name: agent.displayName ?? 'An agent' });
  return { assigned: true };
}
