/**
 * `message.customer`: a customer's next message (or attachment) becomes a public
 * comment, written as the app and marked as the customer's. Only the conversation's own
 * customer may write to it. A closed chat reopens on it within the project's reopen
 * window (lib/lifecycle.ts); after the window the message is refused (a new chat starts).
 */
import type { InboundCall, InboundResponseOf } from '../../protocol/webtrigger.js';
import { AppError, forbidden, notFound } from '../lib/errors.js';
import { readConversation } from '../lib/conversation.js';
import { reopen, reopenWindowMs, withinReopenWindow } from '../lib/lifecycle.js';
import { projectKeyOf } from '../../protocol/ids.js';
import { beginMessage, NOT_YOURS, releaseClaim, rememberMessage } from '../lib/idempotency.js';
import { attachmentText, isoTime } from '../lib/messages.js';
import { safeEqual } from '../../protocol/signature.js';
import { postAppComment } from './start.js';
import { findPostedMessage } from '../lib/post-comment.js';
import { attachToRequestQuietly } from '../lib/jira-attachments.js';
import { customerMessaged } from '../lib/chat-events.js';

type MessageCall = Extract<InboundCall, { type: 'message.customer' }>;

export async function customerMessage(call: MessageCall): Promise<InboundResponseOf<'message.customer'>> {
  const who = { caller: call.caller, accountId: call.customerAccountId };
  // A replay answers only its own sender (or the conversation's customer), in its own conversation.
  const begun = await beginMessage(call.clientMsgId, who);
  if (begun.kind === 'done') {
    if (begun.record.issueKey !== call.conversationId) throw forbidden(NOT_YOURS);
    return { messageId: begun.record.commentId, at: begun.record.at };
  }
  if (begun.kind === 'pending') throw forbidden('this message id belongs to a conversation start');
  try {
    return await writeCustomerMessage(call, begun.recheck);
  } catch (e) {
    await releaseClaim(call.clientMsgId, who).catch(() => undefined);
    throw e;
  }
}

async function writeCustomerMessage(call: MessageCall, recheck: boolean): Promise<InboundResponseOf<'message.customer'>> {
  const conv = await readConversation(call.conversationId);
  if (!conv) throw notFound(`${call.conversationId} is not a chat conversation`);
  if (!safeEqual(conv.customerAccountId, call.customerAccountId)) throw forbidden('this conversation belongs to another customer');
  if (!call.text.trim() && !call.attachment) throw new AppError('invalid', 'a message needs text or an attachment');
  if (conv.status === 'closed') {
    // Within the project's window the customer's message reopens the chat; later they start a new one.
    const nowMs = Date.now();
    if (!withinReopenWindow(conv, await reopenWindowMs(projectKeyOf(call.conversationId)), nowMs)) {
      throw new AppError('invalid', 'this chat is closed: start a new chat');
    }
    await reopen(call.conversationId, conv, nowMs);
  }

  const a = call.attachment;
  const earlier = recheck ? await findPostedMessage('app', call.conversationId, call.clientMsgId) : undefined;
  const comment = earlier ? { id: String(earlier.id), at: isoTime(earlier.created) } : await postCustomerComment(call);
  await rememberMessage(call.clientMsgId, {
    state: 'done',
    caller: call.caller,
    issueKey: call.conversationId,
    customerAccountId: call.customerAccountId,
    commentId: comment.id,
    at: comment.at,
  });
  await customerMessaged(call.conversationId, conv, a !== undefined);
  return { messageId: comment.id, at: comment.at };
}

async function postCustomerComment(call: MessageCall): Promise<{ id: string; at: string }> {
  const a = call.attachment;
  // A file is first copied into the request (kept by Jira after the service's 7 days); the comment links to that copy.
  const text = a ? attachmentText(call.text, { ...a, ...(await attachToRequestQuietly(call.conversationId, a)) }) : call.text.trim();
  return postAppComment(call.conversationId, text, {
    source: 'customer',
    customerAccountId: call.customerAccountId,
    clientMsgId: call.clientMsgId,
    ...(a ? { attachmentId: a.id, attachment: { id: a.id, name: a.name, size: a.size, mime: a.mime } } : {}),
  });
}
