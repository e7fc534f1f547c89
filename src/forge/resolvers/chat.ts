/**
 * Agent actions on a chat. Messages are posted AS THE AGENT (asUser), so Jira records
 * the real author and applies the agent's own comment permission; the `chat.message`
 * property keeps the comment trigger from relaying it a second time. The relay to the
 * customer is best effort: the comment exists either way and the customer's history
 * shows it.
 */
import { route } from '@forge/api';
import type Resolver from '@forge/resolver';
import { MESSAGE_PROPERTY } from '../../protocol/jira-properties.js';
import type { AttachmentRef, ChatMessage } from '../../protocol/model.js';
import { announceQuietly } from '../lib/activity.js';
import { readConversation } from '../lib/conversation.js';
import { AppError, forbidden, notFound } from '../lib/errors.js';
import { markClosed, resolveRequest } from '../lib/lifecycle.js';
import { beginMessage, NOT_YOURS, releaseClaim, rememberMessage } from '../lib/idempotency.js';
import { commentWithProperties } from '../lib/comment-list.js';
import { jira } from '../lib/jira.js';
import { attachmentText, commentToMessage, type StoredMessageProperty } from '../lib/messages.js';
import { assertAgentOnIssue } from '../lib/permissions.js';
import { findPostedMessage, postComment } from '../lib/post-comment.js';
import { remote } from '../lib/remote.js';
import { relayQuietly } from '../lib/relay.js';
import { myself, type Person } from './common.js';
import { define } from './define.js';
import { attachToRequestQuietly } from '../lib/jira-attachments.js';
import { agentMessaged } from '../lib/chat-events.js';
import { announceJoined } from '../lib/joined.js';

async function requireConversation(issueKey: string) {
  await assertAgentOnIssue(issueKey);
  const conv = await readConversation(issueKey);
  if (!conv) throw notFound(`${issueKey} is not a chat conversation`);
  return conv;
}

export { joinedText } from '../lib/joined.js';

/** Assigns the chat to the acting agent (as the user: Jira checks their own assign permission). */
async function assignToMe(issueKey: string): Promise<Person> {
  const agent = await myself();
  await jira('user', route`/rest/api/3/issue/${issueKey}/assignee`, { method: 'PUT', body: { accountId: agent.accountId } });
  await announceQuietly(issueKey, 'assigned', { assignee: agent.name, assigneeAccountId: agent.accountId });
  await announceJoined(issueKey, agent);
  return agent;
}

/** An unassigned chat belongs to whoever answers it first; an assigned one stays with its assignee. */
async function assignIfUnassigned(issueKey: string): Promise<void> {
  const issue = await jira<{ fields?: { assignee?: { accountId?: string } | null } }>('user', route`/rest/api/3/issue/${issueKey}?fields=${'assignee'}`);
  if (issue.fields?.assignee?.accountId) return;
  // Best effort: the reply is sent either way; an agent without assign permission just answers.
  await assignToMe(issueKey).catch(() => undefined);
}

async function sendAsAgent(agentAccountId: string, issueKey: string, clientMsgId: string, text: string, attachment?: AttachmentRef): Promise<ChatMessage> {
  const conv = await requireConversation(issueKey);
  if (conv.status === 'closed') throw new AppError('invalid', 'this chat is closed: the customer can reopen it by writing again');
  // Bound to the agent: another agent (or a customer) replaying this id is refused.
  const who = { caller: `agent:${agentAccountId}` };
  const begun = await beginMessage(clientMsgId, who);
  if (begun.kind === 'done') {
    if (begun.record.issueKey !== issueKey) throw forbidden(NOT_YOURS);
    const c = await commentWithProperties('user', begun.record.commentId);
    const m = c ? commentToMessage(c, issueKey, undefined) : undefined;
    if (!m) throw notFound('the earlier message is no longer public');
    return m;
  }
  if (begun.kind === 'pending') throw forbidden('this message id belongs to a conversation start');
  // First, so the customer reads "Alice joined" before Alice's first reply.
  await assignIfUnassigned(issueKey);
  let message: ChatMessage;
  try {
    // An earlier attempt that failed may have written the comment all the same: find it rather than post it twice.
    const earlier = begun.recheck ? await findPostedMessage('user', issueKey, clientMsgId) : undefined;
    const found = earlier ? commentToMessage(earlier, issueKey, undefined) : undefined;
    if (found) {
      message = found;
    } else {
      // A file is first copied into the request (kept by Jira after the service's 7 days); the comment links to that copy.
      const body = attachment ? attachmentText(text, { ...attachment, ...(await attachToRequestQuietly(issueKey, attachment)) }) : text;
      message = await postAsAgent(issueKey, clientMsgId, body, attachment);
    }
    await rememberMessage(clientMsgId, { state: 'done', caller: who.caller, issueKey, commentId: message.id, at: message.at });
  } catch (e) {
    await releaseClaim(clientMsgId, who).catch(() => undefined);
    throw e;
  }
  // Both best effort, side by side: the comment is in Jira whatever happens here.
  await Promise.all([
    relayQuietly(issueKey, message),
    announceQuietly(issueKey, 'agent_message', { at: message.at }),
    agentMessaged(issueKey, conv, agentAccountId, attachment !== undefined, Date.parse(message.at)),
  ]);
  return message;
}

async function postAsAgent(issueKey: string, clientMsgId: string, text: string, attachment?: AttachmentRef): Promise<ChatMessage> {
  const prop: StoredMessageProperty = { source: 'agent-panel', clientMsgId, ...(attachment ? { attachmentId: attachment.id, attachment } : {}) };
  const created = await postComment('user', issueKey, text, prop, 'public');
  // The create answer may omit properties: map with the ones we just wrote.
  const message = commentToMessage({ ...created, properties: [{ key: MESSAGE_PROPERTY, value: prop }] }, issueKey, undefined);
  if (!message) throw new Error('the new comment is not public');
  return message;
}

export function registerChat(r: Resolver): void {
  define(r, 'chat.send', async ({ issueKey, clientMsgId, text }, caller) => ({ message: await sendAsAgent(caller.accountId, issueKey, clientMsgId, text) }));

  define(r, 'chat.sendAttachment', async ({ issueKey, clientMsgId, attachment }, caller) => ({
    message: await sendAsAgent(caller.accountId, issueKey, clientMsgId, '', attachment),
  }));

  define(r, 'chat.take', async ({ issueKey }) => {
    await requireConversation(issueKey);
    return { assignee: await assignToMe(issueKey) };
  });

  define(r, 'chat.close', async ({ issueKey }) => {
    const conv = await requireConversation(issueKey);
    // As the agent: Jira applies their own transition permission (lifecycle.ts finds the transition).
    const { resolved, fromStatusId } = await resolveRequest('user', issueKey);
    await markClosed(issueKey, conv, Date.now(), fromStatusId ? { fromStatusId } : {});
    return { status: 'closed' as const, resolved };
  });

  define(r, 'attachment.url', async ({ issueKey, attachmentId }) => {
    await requireConversation(issueKey);
    return remote('attachment-url', { conversationId: issueKey, attachmentId });
  });
}
