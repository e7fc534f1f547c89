/**
 * `conversation.start`: a visitor's first message becomes a JSM request.
 *
 * Order matters for retries: (1) the customer, (2) the request, recorded at once as a
 * `pending` idempotency record, (3) the issue properties, (4) the first message as the
 * first public comment (so history is uniform: every message is a comment; the
 * request's description holds only the pre-chat answers), (5) the final record.
 * A retry after a failure in 3-4 resumes the same issue instead of opening another one.
 *
 * WhatsApp: every inbound message arrives as a start. While the number has an open
 * WhatsApp request in the project, the message joins it (step 2 finds it through a Forge
 * storage pointer, never through eventually consistent search, and step 3 leaves its
 * properties alone); `appended: true` says so.
 */
import { route } from '@forge/api';
import type { ConversationProperty } from '../../protocol/jira-properties.js';
import type { InboundCall, InboundResponseOf } from '../../protocol/webtrigger.js';
import { AppError } from '../lib/errors.js';
import { jira } from '../lib/jira.js';
import { writeConversation, writeWhatsApp } from '../lib/conversation.js';
import { ANONYMOUS_NAME, findOrCreateCustomer, placeholderEmail } from '../lib/customers.js';
import { beginMessage, releaseClaim, rememberMessage, type PendingStart, type Who } from '../lib/idempotency.js';
import { isoTime, type StoredMessageProperty } from '../lib/messages.js';
import { findPostedMessage, postComment } from '../lib/post-comment.js';
import { projectConfig } from '../lib/project-config.js';
import { reopen, reopenableChat } from '../lib/lifecycle.js';
import { joinOrClaimThread, whatsappThread } from '../lib/whatsapp.js';
import { chatStarted } from '../lib/chat-events.js';

type StartCall = Extract<InboundCall, { type: 'conversation.start' }>;
type StartAnswer = InboundResponseOf<'conversation.start'>;

const SUMMARY_MAX = 255;

export function summaryFor(call: StartCall): string {
  const who = call.customer.name?.trim() || call.whatsapp?.name?.trim() || call.customer.email || ANONYMOUS_NAME;
  const prefix = call.offline ? 'Offline message from' : call.channel === 'whatsapp' ? 'WhatsApp chat with' : 'Chat with';
  return `${prefix} ${who}`.slice(0, SUMMARY_MAX);
}

/** Pre-chat answers (what the visitor typed into the form), one per line; never the chat itself. */
export function descriptionFor(call: StartCall): string {
  const lines = [`Started from the ${call.channel === 'whatsapp' ? 'WhatsApp' : 'web chat widget'}. Messages follow as comments.`];
  const fields = Object.entries(call.prechatFields);
  if (fields.length) lines.push('', ...fields.map(([k, v]) => `${k}: ${v}`));
  return lines.join('\n');
}

/** Posts a message as the app, marked so the comment trigger never relays it back. */
export async function postAppComment(issueKey: string, text: string, prop: StoredMessageProperty): Promise<{ id: string; at: string }> {
  const c = await postComment('app', issueKey, text, prop, 'public');
  return { id: String(c.id), at: isoTime(c.created) };
}

type NewIssue = { issueKey: string; issueId: string; customerAccountId: string; appended?: boolean };

/**
 * A known customer whose chat in this project closed within the reopen window: their new
 * message reopens that chat (same request, transitioned back) instead of opening another.
 * WhatsApp numbers are known customers by their thread (whatsapp.ts) or account.
 */
async function reopenRecent(call: StartCall, nowMs: number): Promise<NewIssue | undefined> {
  const accountId = call.customer.accountId ?? (call.whatsapp ? (await whatsappThread(call.projectKey, call.whatsapp.waId))?.customerAccountId : undefined);
  if (!accountId) return undefined;
  const recent = await reopenableChat(call.projectKey, accountId, nowMs);
  if (!recent) return undefined;
  await reopen(recent.issueKey, recent.conv, nowMs, recent.issueId);
  return { issueKey: recent.issueKey, issueId: recent.issueId, customerAccountId: accountId, appended: true };
}

async function createRequest(call: StartCall, nowMs: number): Promise<NewIssue> {
  const config = await projectConfig(call.projectKey);
  if (!config || !config.enabled) throw new AppError('not_configured', `chat is not enabled for project ${call.projectKey}`);
  // An offline-form message is a new case; a live chat continues a just-closed one.
  if (!call.offline) {
    const again = await reopenRecent(call, nowMs);
    if (again) return again;
  }
  if (call.channel !== 'whatsapp' || !call.whatsapp) return openRequest(call, config);
  // WhatsApp: join the number's open request, or claim the right to open one (race-free, see whatsapp.ts).
  const thread = await joinOrClaimThread(call.projectKey, call.whatsapp.waId);
  if (thread.kind === 'join') return { ...thread.thread, appended: true };
  try {
    const created = await openRequest(call, config);
    await thread.created(created);
    return created;
  } catch (e) {
    await thread.release().catch(() => undefined);
    throw e;
  }
}

/**
 * The JSM customer a start is raised for. An unverified web visitor is linked to an account
 * only if this visitor's email created it just now; an email that already belongs to an
 * account gets the visitor a placeholder customer of their own (see customers.ts: the service
 * would otherwise show that account's conversations to whoever typed the address).
 */
async function customerFor(call: StartCall, serviceDeskId: string): Promise<{ accountId: string; unlinkedEmail?: string }> {
  if (call.customer.accountId) return { accountId: call.customer.accountId };
  const displayName = call.customer.name?.trim() || call.whatsapp?.name?.trim() || ANONYMOUS_NAME;
  const placeholder = placeholderEmail({ waId: call.whatsapp?.waId, clientMsgId: call.clientMsgId });
  const found = await findOrCreateCustomer({ email: call.customer.email ?? placeholder, displayName, serviceDeskId });
  const proven = call.channel === 'whatsapp' || call.customer.verified || !call.customer.email;
  if (!found.existing || proven) return { accountId: found.accountId };
  const own = await findOrCreateCustomer({ email: placeholder, displayName, serviceDeskId });
  return { accountId: own.accountId, unlinkedEmail: call.customer.email ?? undefined };
}

async function openRequest(call: StartCall, config: { serviceDeskId: string; requestTypeId: string }): Promise<NewIssue> {
  const { accountId: customerAccountId, unlinkedEmail } = await customerFor(call, config.serviceDeskId);
  const description = unlinkedEmail
    ? `${descriptionFor(call)}\n\nEmail given in the chat, not verified: ${unlinkedEmail}. It belongs to an existing customer, so this chat was not linked to their account; confirm who you are talking to before sharing their details.`
    : descriptionFor(call);
  const req = await jira<{ issueId: string; issueKey: string }>('app', route`/rest/servicedeskapi/request`, {
    method: 'POST',
    body: {
      serviceDeskId: config.serviceDeskId,
      requestTypeId: config.requestTypeId,
      requestFieldValues: { summary: summaryFor(call), description },
      raiseOnBehalfOf: customerAccountId,
    },
  });
  return { issueKey: req.issueKey, issueId: String(req.issueId), customerAccountId };
}

/** Who asks: the service's caller key, and the Jira customer when the service knows them. */
const whoOf = (call: StartCall): Who => ({ caller: call.caller, accountId: call.customer.accountId });

export async function startConversation(call: StartCall, nowMs = Date.now()): Promise<StartAnswer> {
  const who = whoOf(call);
  // Someone else's message id is refused here, before anything is written or answered.
  const begun = await beginMessage(call.clientMsgId, who, nowMs);
  if (begun.kind === 'done') {
    const r = begun.record;
    return {
      conversationId: r.issueKey,
      issueId: r.issueId ?? '',
      customerAccountId: r.customerAccountId ?? '',
      messageId: r.commentId,
      at: r.at,
      ...(r.appended ? { appended: true } : {}),
    };
  }
  try {
    let issue: PendingStart;
    if (begun.kind === 'pending') {
      issue = begun.record;
    } else {
      issue = { state: 'pending', caller: call.caller, at: nowMs, ...(await createRequest(call, nowMs)) };
      await rememberMessage(call.clientMsgId, issue);
    }
    // A resumed start may have posted its first comment before it failed: find it rather than post it again.
    return await finishStart(call, issue, nowMs, begun.kind === 'pending');
  } catch (e) {
    // Before the request exists the claim is given back; after, the pending record is released so a retry resumes.
    await releaseClaim(call.clientMsgId, who).catch(() => undefined);
    throw e;
  }
}

async function finishStart(call: StartCall, issue: PendingStart, nowMs: number, recheck: boolean): Promise<StartAnswer> {
  const property: ConversationProperty = {
    v: 1,
    channel: call.channel,
    customerAccountId: issue.customerAccountId,
    started: new Date(nowMs).toISOString(),
    status: 'open',
    offline: call.offline,
  };
  if (!issue.appended) {
    await writeConversation(issue.issueKey, property, { id: issue.issueId, projectKey: call.projectKey });
    if (call.whatsapp) await writeWhatsApp(issue.issueKey, call.whatsapp);
  }

  const earlier = recheck ? await findPostedMessage('app', issue.issueKey, call.clientMsgId) : undefined;
  const comment = earlier
    ? { id: String(earlier.id), at: isoTime(earlier.created) }
    : await postAppComment(issue.issueKey, call.text, {
        source: 'customer',
        customerAccountId: issue.customerAccountId,
        clientMsgId: call.clientMsgId,
      });
  await rememberMessage(call.clientMsgId, {
    state: 'done',
    caller: call.caller,
    issueKey: issue.issueKey,
    issueId: issue.issueId,
    customerAccountId: issue.customerAccountId,
    commentId: comment.id,
    at: comment.at,
    ...(issue.appended ? { appended: true } : {}),
  });
  await chatStarted(issue.issueKey, property, { appended: issue.appended === true });
  return {
    conversationId: issue.issueKey,
    issueId: issue.issueId,
    customerAccountId: issue.customerAccountId,
    messageId: comment.id,
    at: comment.at,
    ...(issue.appended ? { appended: true } : {}),
  };
}
