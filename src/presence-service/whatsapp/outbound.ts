/**
 * An agent's reply to a WhatsApp conversation, sent as a WhatsApp text. Called by the
 * `relay` Forge Remote call when the app names the conversation's WhatsApp contact.
 * The answer tells the app what happened, so it can leave the agent an internal note
 * when Meta's 24-hour window is closed (free text is refused then: error 131047).
 */
import type { ChatMessage } from '../../protocol/model.js';
import type { RemoteResponse } from '../../protocol/remote.js';
import type { Ctx } from '../context.js';
import { loadWhatsAppSite } from './credentials.js';
import { createGraphClient, GraphError, type GraphClient } from './graph.js';
import { MAX_WHATSAPP_TEXT_CHARS } from './limits.js';

export type WhatsAppSendResult = NonNullable<RemoteResponse<'relay'>['whatsapp']>;

/** WhatsApp shows these inline as images; every other accepted type goes as a document. */
const INLINE_IMAGE_TYPES = new Set(['image/jpeg', 'image/png']);
/** WhatsApp media captions are limited to 1024 characters. */
const MAX_CAPTION_CHARS = 1024;

/** The text a WhatsApp customer receives for a chat message (attachments: their link is in the text). */
export function whatsappText(message: ChatMessage): string {
  const text = message.text.trim() || (message.attachment ? `📎 ${message.attachment.name}` : '');
  return text.length > MAX_WHATSAPP_TEXT_CHARS ? text.slice(0, MAX_WHATSAPP_TEXT_CHARS - 1) + '…' : text;
}

let defaultGraph: { baseUrl: string; client: GraphClient } | null = null;
export function graphFor(baseUrl: string): GraphClient {
  if (defaultGraph?.baseUrl !== baseUrl) defaultGraph = { baseUrl, client: createGraphClient({ baseUrl }) };
  return defaultGraph.client;
}

export async function sendToWhatsApp(
  ctx: Pick<Ctx, 'store' | 'crypto' | 'log' | 'config' | 'attachments'>,
  installationId: string,
  waId: string,
  message: ChatMessage,
  graph: GraphClient = graphFor(ctx.config.whatsappGraphUrl),
): Promise<WhatsAppSendResult> {
  const site = await loadWhatsAppSite(ctx, installationId);
  if (!site) return { sent: false, code: 'not_configured' };
  const text = whatsappText(message);
  if (!text) return { sent: false, code: 'rejected' };
  try {
    const a = message.attachment;
    // Meta fetches the file itself from a short-lived download link (it must reach PUBLIC_URL or the bucket).
    const link = a && ctx.attachments ? await ctx.attachments.downloadUrl(installationId, message.conversationId, a.id) : null;
    if (a && link && 'url' in link) {
      const caption = message.text.trim().slice(0, MAX_CAPTION_CHARS);
      await graph.sendMedia(site, waId, { kind: INLINE_IMAGE_TYPES.has(a.mime) ? 'image' : 'document', link: link.url, caption, filename: a.name });
    } else {
      await graph.sendText(site, waId, text);
    }
    ctx.log.info('whatsapp.sent', { installationId, conversationId: message.conversationId });
    return { sent: true };
  } catch (err) {
    const code = err instanceof GraphError ? err.code : 'unavailable';
    const metaCode = err instanceof GraphError ? err.metaCode : undefined;
    ctx.log.warn('whatsapp.send_failed', { installationId, conversationId: message.conversationId, code, metaCode });
    return { sent: false, code: code === 'too_large' || code === 'params_mismatch' || code === 'no_template' ? 'rejected' : code };
  }
}
