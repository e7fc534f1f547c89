/**
 * `feedback`: a customer's rating of a closed chat becomes the request's feedback in JSM
 * (CSAT), where JSM's own reports show customer satisfaction. Nothing of it is kept by
 * the app or the presence service.
 *
 * Permission: the page documents POST as "User must be the reporter or an Atlassian
 * Connect app". The customer is not a Forge user (Forge serves Atlassian accounts only),
 * so the app writes it as itself (`asApp()`), relying on the app counting as the documented
 * "app"; a site that refuses answers 403 and the widget says the rating could not be saved.
 * @see https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-requestidorkey-feedback-post
 */
import { route } from '@forge/api';
import type { InboundCall, InboundResponseOf } from '../../protocol/webtrigger.js';
import { safeEqual } from '../../protocol/signature.js';
import { chatRated } from '../lib/chat-events.js';
import { conversationFrom } from '../lib/conversation.js';
import { AppError, forbidden, notFound } from '../lib/errors.js';
import { getChatIssue } from '../lib/issues.js';
import { jira } from '../lib/jira.js';

type FeedbackCall = Extract<InboundCall, { type: 'feedback' }>;

export async function recordFeedback(call: FeedbackCall): Promise<InboundResponseOf<'feedback'>> {
  const issue = await getChatIssue('app', call.conversationId);
  const conv = conversationFrom(issue?.properties);
  if (!issue || !conv) throw notFound(`${call.conversationId} is not a chat conversation`);
  if (!safeEqual(conv.customerAccountId, call.customerAccountId)) throw forbidden('this conversation belongs to another customer');
  // Rated once it is over, like JSM's own survey after resolution.
  if (conv.status !== 'closed') throw new AppError('invalid', 'a chat is rated once it is closed');
  const comment = call.comment?.trim();
  await jira('app', route`/rest/servicedeskapi/request/${issue.key}/feedback`, {
    method: 'POST',
    body: { type: 'csat', rating: call.rating, ...(comment ? { comment: { body: comment } } : {}) },
  });
  // The number only, for chat reports (chat.stats) and the chat_rated event; never the comment.
  await chatRated(issue.key, conv, call.rating);
  return { ok: true };
}
