/**
 * The project's chat dashboard: open chats with who is waiting, and the agents.
 *
 * Source: a JQL search of the project's unresolved issues with the `chat.conversation`
 * property returned alongside, filtered here on `status = open`. Chosen over a kvs index
 * of open conversations because Jira stays the only source of truth (no second list to
 * drift when a request is moved, deleted or resolved in Jira), and because filtering
 * on the property inside JQL needs a `jira:entityProperty` index module.
 */
import { route } from '@forge/api';
import type Resolver from '@forge/resolver';
import type { z } from 'zod';
import type { DashboardChat } from '../../protocol/resolvers.js';
import { conversationFrom } from '../lib/conversation.js';
import { jira } from '../lib/jira.js';
import { jqlString, searchChatIssues, type ChatIssue } from '../lib/issues.js';
import { commentToMessage, isoTime, type JiraComment } from '../lib/messages.js';
import { assertAgentOfProject } from '../lib/permissions.js';
import { remoteOr } from '../lib/remote.js';
import { displayNames, me, personOf } from './common.js';
import { customerOf } from './panel.js';
import { define } from './define.js';

const MAX_DASHBOARD_CHATS = 50;
const RECENT_COMMENTS = 20;

/** When the customer's unanswered messages began (trailing customer messages), else null. */
export function waitingSince(messages: { author: { kind: string }; at: string }[]): string | null {
  let since: string | null = null;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.author.kind !== 'customer') break;
    since = m.at;
  }
  return since;
}

async function chatRow(issue: ChatIssue): Promise<z.infer<typeof DashboardChat> | null> {
  const conv = conversationFrom(issue.properties);
  if (!conv || conv.status !== 'open') return null;
  const customer = customerOf(issue, conv.customerAccountId);
  const page = await jira<{ comments: JiraComment[] }>('user', route`/rest/api/3/issue/${issue.key}/comment?orderBy=${'-created'}&maxResults=${RECENT_COMMENTS}&expand=properties`);
  const recent = page.comments
    .map((c) => commentToMessage(c, issue.key, customer))
    .filter((m) => m !== undefined)
    .sort((a, b) => a.at.localeCompare(b.at));
  return {
    conversationId: issue.key,
    summary: issue.fields.summary ?? issue.key,
    customerName: customer.name,
    channel: conv.channel,
    status: conv.status,
    waitingSince: waitingSince(recent),
    lastActivity: recent.at(-1)?.at ?? isoTime(issue.fields.updated ?? conv.started),
    assignee: issue.fields.assignee?.accountId ? personOf(issue.fields.assignee) : null,
  };
}

export function registerDashboard(r: Resolver): void {
  define(r, 'dashboard.load', async ({ projectKey }, caller) => {
    await assertAgentOfProject(projectKey);
    const issues = await searchChatIssues('user', `project = ${jqlString(projectKey)} AND statusCategory != Done ORDER BY created DESC`, 100);
    const chatIssues = issues.filter((i) => conversationFrom(i.properties)?.status === 'open').slice(0, MAX_DASHBOARD_CHATS);
    const [rows, presence, mine] = await Promise.all([
      Promise.all(chatIssues.map(chatRow)),
      remoteOr('presence.get', { projectKey }, null),
      me(projectKey, caller.accountId),
    ]);
    const agents = presence?.agents ?? [];
    const names = await displayNames(agents.map((a) => a.accountId));
    const chats = rows.filter((c) => c !== null).sort((a, b) => (a.waitingSince ?? '~').localeCompare(b.waitingSince ?? '~'));
    return { chats, agents: agents.map((a) => ({ ...a, name: names.get(a.accountId) ?? a.accountId })), me: mine };
  });
}
