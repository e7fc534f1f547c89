/**
 * The project's chat dashboard: open chats with who is waiting, and the agents.
 *
 * Source: JQL on the indexed property (`jira:entityProperty` chat-conversation-index in
 * the manifest): `issue.property[chat.conversation].status = open`, paged with
 * nextPageToken, so closed chats and other requests are never read. Jira stays the only
 * source of truth (no second list to drift when a request is moved, deleted or resolved).
 * Search is eventually consistent: chats whose property the app wrote a moment ago are
 * passed as `reconcileIssues` (Atlassian's "search and reconcile"), and `dashboard.row`
 * reads one conversation by key (consistent), which is what the page asks for when a
 * `conversation.activity` frame names it.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-get
 */
import { route } from '@forge/api';
import type Resolver from '@forge/resolver';
import type { z } from 'zod';
import { DASHBOARD_PREVIEW_CHARS } from '../../protocol/limits.js';
import type { ChatMessage } from '../../protocol/model.js';
import type { DashboardChat } from '../../protocol/resolvers.js';
import { withProperties } from '../lib/comment-list.js';
import { conversationFrom } from '../lib/conversation.js';
import { notFound } from '../lib/errors.js';
import { getChatIssue, jqlString, searchChatIssuePages, type ChatIssue } from '../lib/issues.js';
import { jira } from '../lib/jira.js';
import { commentToMessage, isoTime, type JiraComment } from '../lib/messages.js';
import { assertAgentOfProject } from '../lib/permissions.js';
import { recentChanges } from '../lib/recent-changes.js';
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

/** The open chats of a project, newest activity first, by JQL on the indexed property. */
export function openChatsJql(projectKey: string): string {
  return `project = ${jqlString(projectKey)} AND issue.property[chat.conversation].status = "open" AND statusCategory != Done ORDER BY updated DESC`;
}

/** The dashboard's one-line preview: whitespace collapsed, clipped at a word where possible. */
export function previewText(text: string, max = DASHBOARD_PREVIEW_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/**
 * The newest message as a preview. `recent` holds only what customers may read
 * (commentToMessage goes through comment-audience.ts), so an internal note or a
 * role-restricted comment never becomes a preview.
 */
export function previewOf(recent: ChatMessage[]): z.infer<typeof DashboardChat>['preview'] {
  const last = recent.at(-1);
  if (!last) return null;
  const text = last.text.trim() ? previewText(last.text) : last.attachment ? `📎 ${previewText(last.attachment.name)}` : '';
  return { author: last.author.kind, text };
}

async function recentComments(issueKey: string): Promise<JiraComment[]> {
  const page = await jira<{ comments?: JiraComment[] }>(
    'user',
    route`/rest/api/3/issue/${issueKey}/comment?orderBy=${'-created'}&maxResults=${RECENT_COMMENTS}`,
  );
  return page.comments ?? [];
}

/** Rows for open chat issues: their newest comments per issue, then every comment's properties in one call. */
async function chatRows(issues: ChatIssue[]): Promise<z.infer<typeof DashboardChat>[]> {
  const open = issues.flatMap((issue) => {
    const conv = conversationFrom(issue.properties);
    return conv && conv.status === 'open' ? [{ issue, conv }] : [];
  });
  const comments = await Promise.all(open.map(({ issue }) => recentComments(issue.key)));
  const withProps = await withProperties('user', comments.flat());
  const byId = new Map(withProps.map((c) => [String(c.id), c]));
  return open.map(({ issue, conv }, i) => {
    const customer = customerOf(issue, conv.customerAccountId);
    const recent = (comments[i] ?? [])
      .map((c) => commentToMessage(byId.get(String(c.id)) ?? c, issue.key, customer))
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
      offline: conv.offline,
      preview: previewOf(recent),
    };
  });
}

const waitingFirst = (a: z.infer<typeof DashboardChat>, b: z.infer<typeof DashboardChat>) => (a.waitingSince ?? '~').localeCompare(b.waitingSince ?? '~');

export function registerDashboard(r: Resolver): void {
  define(r, 'dashboard.load', async ({ projectKey }, caller) => {
    await assertAgentOfProject(projectKey);
    // Search lags writes: chats started or closed a moment ago are reconciled (recent-changes.ts).
    const issues = await searchChatIssuePages('user', openChatsJql(projectKey), MAX_DASHBOARD_CHATS, await recentChanges(projectKey));
    const [rows, presence, mine] = await Promise.all([chatRows(issues), remoteOr('presence.get', { projectKey }, null), me(projectKey, caller.accountId)]);
    const agents = presence?.agents ?? [];
    const names = await displayNames(agents.map((a) => a.accountId));
    return { chats: rows.sort(waitingFirst), agents: agents.map((a) => ({ ...a, name: names.get(a.accountId) ?? a.accountId })), me: mine };
  });

  define(r, 'dashboard.row', async ({ projectKey, conversationId }) => {
    await assertAgentOfProject(projectKey);
    const issue = await getChatIssue('user', conversationId);
    if (!issue) throw notFound(`${conversationId} was not found`);
    if (issue.fields.project?.key && issue.fields.project.key !== projectKey) throw notFound(`${conversationId} is not in project ${projectKey}`);
    if (issue.fields.status?.statusCategory?.key === 'done') return { chat: null };
    const [row] = await chatRows([issue]);
    return { chat: row ?? null };
  });
}
