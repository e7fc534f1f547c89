/** The issue panel: the conversation, its history and presence, for agents who may see the issue. */
import type Resolver from '@forge/resolver';
import { projectKeyOf } from '../../protocol/ids.js';
import { HISTORY_PAGE_SIZE } from '../../protocol/limits.js';
import { conversationFrom, whatsappFrom } from '../lib/conversation.js';
import { forbidden, notFound } from '../lib/errors.js';
import { loadHistory } from '../lib/history.js';
import { getChatIssue, partyOf, type ChatIssue } from '../lib/issues.js';
import type { Party } from '../lib/messages.js';
import { AGENT, assertAgentOnIssue, BROWSE, myPermissions } from '../lib/permissions.js';
import { remoteOr } from '../lib/remote.js';
import { me, personOf } from './common.js';
import { define } from './define.js';

export function customerOf(issue: ChatIssue, customerAccountId: string): Party {
  const reporter = partyOf(issue.fields.reporter);
  return reporter?.accountId === customerAccountId ? reporter : { accountId: customerAccountId, name: 'Customer' };
}

export function registerPanel(r: Resolver): void {
  define(r, 'panel.load', async ({ issueKey }, caller) => {
    const have = await myPermissions({ issueKey }, [BROWSE, AGENT]);
    if (!have.has(BROWSE)) throw forbidden(`you may not see ${issueKey}`);
    // As the user: Jira's own issue security applies to what the panel shows.
    const issue = await getChatIssue('user', issueKey);
    if (!issue) throw notFound(`${issueKey} was not found`);
    const projectKey = issue.fields.project?.key ?? projectKeyOf(issueKey);
    const conv = conversationFrom(issue.properties);
    if (!conv) {
      return { isChat: false, conversation: null, messages: [], hasMore: false, customerPresence: null, me: await me(projectKey, caller.accountId) };
    }
    if (!have.has(AGENT)) throw forbidden(`you are not an agent of project ${projectKey}`);
    const customer = customerOf(issue, conv.customerAccountId);
    const wa = whatsappFrom(issue.properties);
    const [history, presence, mine] = await Promise.all([
      loadHistory({ as: 'user', issueKey: issue.key, customer, limit: HISTORY_PAGE_SIZE }),
      remoteOr('customer-presence', { conversationIds: [issue.key] }, null),
      me(projectKey, caller.accountId),
    ]);
    return {
      isChat: true,
      conversation: {
        id: issue.key,
        status: conv.status,
        channel: conv.channel,
        started: conv.started,
        customer: { ...customer, email: issue.fields.reporter?.emailAddress ?? null },
        whatsapp: wa ? { name: wa.name, phone: wa.waId } : null,
        assignee: issue.fields.assignee?.accountId ? personOf(issue.fields.assignee) : null,
      },
      messages: history.messages,
      hasMore: history.hasMore,
      customerPresence: presence?.presence[issue.key] ?? null,
      me: mine,
    };
  });

  define(r, 'panel.history', async ({ issueKey, before }) => {
    await assertAgentOnIssue(issueKey);
    const issue = await getChatIssue('user', issueKey);
    const conv = conversationFrom(issue?.properties);
    if (!issue || !conv) throw notFound(`${issueKey} is not a chat conversation`);
    return loadHistory({ as: 'user', issueKey: issue.key, customer: customerOf(issue, conv.customerAccountId), before, limit: HISTORY_PAGE_SIZE });
  });
}
