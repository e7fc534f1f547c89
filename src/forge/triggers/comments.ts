/**
 * `avi:jira:commented:issue` (created or edited): a public comment an agent wrote in
 * Jira's own UI reaches the customer through Forge Remote `relay`. So does one the
 * customer wrote outside the widget (the JSM portal, an email reply): it shows in their
 * open widget and, live, in the agents' panel and dashboard.
 *
 * Which comments reach this handler at all (manifest.yml, `filter: ignoreSelf: true`):
 * Forge drops the events of comments the app wrote AS THE APP — customer messages from the
 * widget or WhatsApp, and the app's internal notes — so they are never re-read here.
 * Comments the agent panel wrote AS THE AGENT (asUser) are caused by the agent, not the
 * app, so Forge still delivers them (ignoreSelf does not promise to drop them); the panel
 * relayed those already, and their `chat.message` property is what keeps them from being
 * relayed twice. A reply typed in Jira's own comment box has no such property: relayed.
 *
 * Not relayed: comments on issues that are not chats; comments carrying `chat.message`;
 * comments not for customers — internal notes and role- or group-restricted comments
 * (lib/comment-audience.ts; checked on the event's comment and again on the re-read one). The comment is re-read as the app
 * with its properties, because the event payload carries neither properties nor, after a
 * quick second edit, the latest body. An edit relays again with the same message id
 * (clients replace by id); `relayed:<id>:<updated>` makes event retries harmless.
 *
 * Failures: Forge retries only a RETURNED InvocationError (lib/event-retry.ts), so a
 * failed relay (the presence service briefly down) is turned into one, up to 4 retries.
 * Events arrive late on Forge (seconds, at times minutes): this path is the slow one; the
 * live path is the agent panel and dashboard (chat.send -> Forge Remote relay).
 */
import type { InvocationError } from '@forge/events';
import { commentWithProperties } from '../lib/comment-list.js';
import { readConversation } from '../lib/conversation.js';
import { getChatIssue, partyOf } from '../lib/issues.js';
import { markRelayed, wasRelayed } from '../lib/idempotency.js';
import { commentAudience } from '../lib/comment-audience.js';
import { commentToMessage, hasMessageProperty } from '../lib/messages.js';
import { announceQuietly } from '../lib/activity.js';
import { relayMessage } from '../lib/relay.js';
import { retryLater, type RetryableEvent } from '../lib/event-retry.js';
import { agentMessaged, customerMessaged } from '../lib/chat-events.js';

export interface CommentEvent extends RetryableEvent {
  issue?: { id?: string; key?: string };
  comment?: { id?: string; jsdPublic?: boolean; visibility?: unknown };
}

export type CommentOutcome = 'relayed' | 'not_chat' | 'app_written' | 'internal' | 'restricted' | 'already_relayed' | 'gone' | 'ignored';

export async function handleComment(event: CommentEvent): Promise<CommentOutcome> {
  const issueKey = event.issue?.key;
  const commentId = event.comment?.id;
  if (!issueKey || !commentId) return 'ignored';
  const announced = commentAudience(event.comment ?? {});
  if (announced !== 'customers') return announced;
  const conv = await readConversation(issueKey);
  if (!conv) return 'not_chat';
  // Properties come only from comment/list (the issue comment endpoints do not expand them).
  const c = await commentWithProperties('app', commentId);
  if (!c) return 'gone';
  if (hasMessageProperty(c)) return 'app_written';
  const audience = commentAudience(c);
  if (audience !== 'customers') return audience;
  const issue = await getChatIssue('app', issueKey);
  const reporter = partyOf(issue?.fields.reporter);
  const customer = reporter?.accountId === conv.customerAccountId ? reporter : { accountId: conv.customerAccountId, name: 'Customer' };
  const message = commentToMessage(c, issueKey, customer);
  if (!message) return 'internal';
  if (message.author.kind === 'system') return 'ignored';
  const version = c.updated ?? c.created;
  if (await wasRelayed(c.id, version)) return 'already_relayed';
  // Marked only after the relay succeeded: a failed relay throws, and onComment asks Forge to retry.
  // (Two deliveries racing may both relay: harmless, clients replace messages by id.)
  // WhatsApp conversations: the relay names the contact, and a refusal leaves the agent an internal note.
  await relayMessage(issueKey, message, issue);
  await markRelayed(c.id, version);
  await announceQuietly(issueKey, message.author.kind === 'agent' ? 'agent_message' : 'customer_message', { at: message.at });
  // Counted on the first relay of a comment only (an edit relays again with a new version).
  if (version === c.created) {
    const file = message.attachment !== undefined;
    if (message.author.kind === 'agent' && message.author.accountId)
      await agentMessaged(issueKey, conv, message.author.accountId, file, Date.parse(message.at));
    else if (message.author.kind === 'customer') await customerMessaged(issueKey, conv, file);
  }
  return 'relayed';
}

export async function onComment(event: CommentEvent): Promise<InvocationError | undefined> {
  try {
    await handleComment(event);
    return undefined;
  } catch (e) {
    return retryLater('comment trigger', event, e);
  }
}
