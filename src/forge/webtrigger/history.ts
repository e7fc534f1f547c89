/** `history` and `conversations.list`: what a customer may read back (public messages only). */
import type { InboundCall, InboundResponseOf } from '../../protocol/webtrigger.js';
import { safeEqual } from '../../protocol/signature.js';
import { conversationFrom } from '../lib/conversation.js';
import { forbidden, notFound } from '../lib/errors.js';
import { loadHistory } from '../lib/history.js';
import { getChatIssue, jqlString, partyOf, searchChatIssuePages } from '../lib/issues.js';
import { recentChanges } from '../lib/recent-changes.js';
import { isoTime } from '../lib/messages.js';
import { MAX_DISPLAY_NAME_CHARS } from '../../protocol/limits.js';

type HistoryCall = Extract<InboundCall, { type: 'history' }>;
type ListCall = Extract<InboundCall, { type: 'conversations.list' }>;

/** A customer has few chats; the list shows the latest ones. */
const MAX_LISTED_CONVERSATIONS = 50;

export async function history(call: HistoryCall): Promise<InboundResponseOf<'history'>> {
  const issue = await getChatIssue('app', call.conversationId);
  const conv = conversationFrom(issue?.properties);
  if (!issue || !conv) throw notFound(`${call.conversationId} is not a chat conversation`);
  if (call.customerAccountId && !safeEqual(conv.customerAccountId, call.customerAccountId)) {
    throw forbidden('this conversation belongs to another customer');
  }
  const reporter = partyOf(issue.fields.reporter);
  const customer = reporter?.accountId === conv.customerAccountId ? reporter : { accountId: conv.customerAccountId, name: 'Customer' };
  return loadHistory({ as: 'app', issueKey: issue.key, customer, before: call.before, limit: call.limit });
}

export async function listConversations(call: ListCall): Promise<InboundResponseOf<'conversations.list'>> {
  // The reporter of a chat request is its customer (raised on their behalf); the property
  // filter then keeps only chats, and only this customer's.
  const jql = `project = ${jqlString(call.projectKey)} AND reporter = ${jqlString(call.customerAccountId)} ORDER BY updated DESC`;
  // Search lags writes: chats written a moment ago are reconciled, so a returning visitor
  // sees the chat they just started (search and reconcile).
  const issues = await searchChatIssuePages('app', jql, MAX_LISTED_CONVERSATIONS, await recentChanges(call.projectKey));
  const conversations = [];
  let customerName: string | undefined;
  for (const i of issues) {
    const conv = conversationFrom(i.properties);
    if (!conv || conv.customerAccountId !== call.customerAccountId) continue;
    conversations.push({ id: i.key, status: conv.status, updated: isoTime(i.fields.updated ?? conv.started) });
    // The name comes from Jira (the reporter), so the presence service never has to keep one.
    const reporter = partyOf(i.fields.reporter);
    if (!customerName && reporter?.accountId === call.customerAccountId && i.fields.reporter?.displayName)
      customerName = reporter.name.slice(0, MAX_DISPLAY_NAME_CHARS);
  }
  return { conversations, ...(customerName ? { customerName } : {}) };
}
