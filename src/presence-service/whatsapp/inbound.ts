/**
 * One WhatsApp message into Jira, the way a widget message goes: through the app's
 * webtrigger (`conversation.start`: the app appends to the customer's open WhatsApp
 * request or opens one), then the same live fan-out the customer socket does (watching
 * agents, project dashboards).
 *
 * Deduplicated on Meta's message id (hashed, scoped by site, kept DEDUPE_TTL_MS): Meta
 * delivers at least once. The claim is given back if Jira could not be reached, so a
 * redelivery can still bring the message in. Text passes through memory only.
 */
import { createHash } from 'node:crypto';
import type { ChatMessage } from '../../protocol/model.js';
import { MAX_MESSAGE_CHARS } from '../../protocol/limits.js';
import { channels, keys } from '../store/keys.js';
import type { Ctx } from '../context.js';
import type { WhatsAppSite } from './credentials.js';
import { GraphError, type GraphClient } from './graph.js';
import { DEDUPE_TTL_MS, INBOUND_RETRY_DELAYS_MS } from './limits.js';
import { ServiceError } from '../errors.js';
import type { WaMessage } from './payload.js';

export type InboundDeps = Pick<Ctx, 'app' | 'hub' | 'store' | 'log' | 'attachments' | 'config'> & Partial<Pick<Ctx, 'assigner'>>;

/** `refused`: the app said no for good (e.g. the message id is another sender's); a redelivery would not change that. */
export type MessageOutcome = 'delivered' | 'duplicate' | 'unsupported' | 'refused' | 'failed';

const FALLBACK_NAME = 'WhatsApp customer';

/** A clientMsgId ([A-Za-z0-9_-]{8,64}) from Meta's message id: stable across redeliveries, reveals nothing. */
export function clientMsgIdFor(installationId: string, waMessageId: string, part = ''): string {
  return 'wa_' + createHash('sha256').update(`${installationId}\n${waMessageId}\n${part}`).digest('base64url').slice(0, 40);
}

/**
 * Deduplication is per sender: the message id together with the business number and the
 * sender's wa_id, so one sender's id can never swallow (or stand for) another's message.
 */
function seenKey(site: WhatsAppSite, from: string, waMessageId: string): string {
  return keys.whatsappSeen(site.installationId, createHash('sha256').update(`${site.phoneNumberId}\n${from}\n${waMessageId}`).digest('hex'));
}

/** Who sent it, for the app's idempotency records (protocol/webtrigger.ts CallerKey). */
export function whatsappCaller(site: Pick<WhatsAppSite, 'phoneNumberId'>, from: string): string {
  return `wa:${site.phoneNumberId}:${from}`;
}

function clip(text: string): string {
  if (text.length <= MAX_MESSAGE_CHARS) return text;
  let end = MAX_MESSAGE_CHARS - 1;
  // Never between the halves of a surrogate pair (an emoji): half a pair is not text.
  if (/[\uD800-\uDBFF]/.test(text[end - 1]!)) end -= 1;
  return text.slice(0, end) + '…';
}

interface Content {
  /** The first text of the message: its body, the media caption, or a short marker. */
  text: string;
  media?: { id: string; name: string };
}

function contentOf(m: WaMessage): Content | null {
  if (m.type === 'text' && m.text?.body.trim()) return { text: m.text.body };
  if (m.type === 'image' && m.image) return { text: m.image.caption?.trim() || '📷 Image', media: { id: m.image.id, name: 'whatsapp-image' } };
  if (m.type === 'document' && m.document) {
    const name = m.document.filename?.trim() || 'whatsapp-document';
    return { text: m.document.caption?.trim() || `📎 ${name}`, media: { id: m.document.id, name } };
  }
  return null;
}

/** Retries a call while it fails with a retryable error, pausing per `delays`; a stop signal ends the pauses early. */
export async function withRetries<T>(fn: () => Promise<T>, delays: readonly number[], stop?: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const delay = delays[attempt];
      if (delay === undefined || !(err instanceof ServiceError && err.retryable) || stop?.aborted) throw err;
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, delay);
        function done() {
          clearTimeout(t);
          stop?.removeEventListener('abort', done);
          resolve();
        }
        stop?.addEventListener('abort', done, { once: true });
      });
      if (stop?.aborted) throw err;
    }
  }
}

export interface HandleOptions {
  /** Aborted at shutdown: pending retries give up. */
  stop?: AbortSignal;
  /** The webhook delivery's request id (request-id.ts): on the app calls and the log lines. */
  requestId?: string;
  retryDelaysMs?: readonly number[];
}

export async function handleMessage(
  deps: InboundDeps,
  graph: GraphClient,
  site: WhatsAppSite,
  m: WaMessage,
  contactName: string | null,
  opts: HandleOptions = {},
): Promise<MessageOutcome> {
  const { installationId } = site;
  if (opts.requestId) deps = { ...deps, log: deps.log.child({ requestId: opts.requestId }) };
  const content = contentOf(m);
  if (!content) {
    deps.log.debug('whatsapp.unsupported_message', { installationId, type: m.type });
    return 'unsupported';
  }
  const seen = seenKey(site, m.from, m.id);
  const caller = whatsappCaller(site, m.from);
  if ((await deps.store.ephemeral.incr(seen, DEDUPE_TTL_MS)) > 1) return 'duplicate';

  const clientMsgId = clientMsgIdFor(installationId, m.id);
  let r;
  try {
    // The app is idempotent by clientMsgId: a retry after a lost answer writes nothing twice.
    r = await withRetries(
      () =>
        deps.app.call(
          installationId,
          {
            type: 'conversation.start',
            projectKey: site.projectKey,
            clientMsgId,
            caller,
            channel: 'whatsapp',
            customer: { name: contactName, email: null, verified: false },
            text: clip(content.text),
            whatsapp: { waId: m.from, name: contactName },
          },
          opts.requestId,
        ),
      opts.retryDelaysMs ?? INBOUND_RETRY_DELAYS_MS,
      opts.stop,
    );
  } catch (err) {
    if (err instanceof ServiceError && !err.retryable) {
      // Nothing was written and nothing is published; the claim stays, so redeliveries are skipped.
      deps.log.warn('whatsapp.inbound_refused', { installationId, code: err.code });
      return 'refused';
    }
    await deps.store.ephemeral.delete(seen).catch(() => {});
    deps.log.warn('whatsapp.inbound_failed', { installationId, err });
    return 'failed';
  }
  const author = { kind: 'customer' as const, accountId: r.customerAccountId, name: contactName ?? FALLBACK_NAME };
  const first: ChatMessage = { id: r.messageId, conversationId: r.conversationId, clientMsgId, author, text: clip(content.text), at: r.at };
  await publish(deps, site, first, r.appended ? 'customer_message' : 'new', contactName);
  // A new WhatsApp chat is assigned like a web chat (issue 15); the delivery does not wait for it.
  if (!r.appended)
    void deps.assigner
      ?.chatStarted(installationId, site.projectKey, r.conversationId)
      .catch((err) => deps.log.warn('assignment.start_failed', { installationId, err }));

  if (content.media) await forwardMedia(deps, graph, site, m, content.media, r.conversationId, r.customerAccountId, caller, author, opts);
  return 'delivered';
}

/**
 * Media follow their first comment as a second message carrying the attachment: the
 * attachment needs the conversation, which only the first call names.
 */
async function forwardMedia(
  deps: InboundDeps,
  graph: GraphClient,
  site: WhatsAppSite,
  m: WaMessage,
  media: { id: string; name: string },
  conversationId: string,
  customerAccountId: string,
  caller: string,
  author: ChatMessage['author'],
  opts: HandleOptions,
): Promise<void> {
  const { installationId } = site;
  const attachments = deps.attachments;
  if (!attachments) {
    deps.log.info('whatsapp.media_skipped', { installationId, reason: 'attachments are not enabled' });
    return;
  }
  let stored;
  try {
    const { bytes } = await graph.fetchMedia(site, media.id, deps.config.maxUploadBytes);
    stored = await attachments.storeBuffer({ installationId, conversationId, name: media.name, bytes, uploader: 'customer' });
  } catch (err) {
    deps.log.warn('whatsapp.media_failed', { installationId, conversationId, code: err instanceof GraphError ? err.code : 'internal' });
    return;
  }
  if (!stored.ok) {
    deps.log.info('whatsapp.media_refused', { installationId, conversationId, code: stored.code });
    return;
  }
  const clientMsgId = clientMsgIdFor(installationId, m.id, 'media');
  const { url, ...ref } = stored.attachment;
  let r;
  try {
    r = await withRetries(
      () =>
        deps.app.call(
          installationId,
          {
            type: 'message.customer',
            conversationId,
            customerAccountId,
            clientMsgId,
            caller,
            text: '',
            attachment: { ...ref, url },
          },
          opts.requestId,
        ),
      opts.retryDelaysMs ?? INBOUND_RETRY_DELAYS_MS,
      opts.stop,
    );
  } catch (err) {
    deps.log.warn('whatsapp.media_failed', { installationId, conversationId, err });
    return;
  }
  const message: ChatMessage = { id: r.messageId, conversationId, clientMsgId, author, text: '', at: r.at, attachment: ref };
  await publish(deps, site, message, 'customer_message', author.name);
}

/** The fan-out a widget message gets (ws/customer.ts): the conversation's watchers and the project's dashboards. */
async function publish(
  deps: InboundDeps,
  site: WhatsAppSite,
  message: ChatMessage,
  kind: 'new' | 'customer_message',
  customerName: string | null,
): Promise<void> {
  const { installationId, projectKey } = site;
  try {
    await deps.hub.publish(channels.conversation(installationId, message.conversationId), { to: 'agent', frame: { type: 'message', message } });
    await deps.hub.publish(channels.projectAgents(installationId, projectKey), {
      to: 'agent',
      frame: { type: 'conversation.activity', activity: { projectKey, conversationId: message.conversationId, kind, at: message.at, customerName } },
    });
  } catch (err) {
    // The message is in Jira; live views catch up from there.
    deps.log.warn('whatsapp.fanout_failed', { installationId, err });
  }
}
