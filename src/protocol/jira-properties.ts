/**
 * What the app keeps in Jira itself, beside the comments. The presence service never
 * sees these keys; they are here so the app, the sandbox and end-to-end tests agree.
 */
import { z } from 'zod';
import { AccountId, ClientMsgId, IsoTime } from './ids.js';
import { Channel, WhatsAppContact } from './webtrigger.js';

/** Issue property on every chat request. */
export const CONVERSATION_PROPERTY = 'chat.conversation';
export const ConversationProperty = z.object({
  v: z.literal(1),
  channel: Channel,
  customerAccountId: AccountId,
  started: IsoTime,
  status: z.enum(['open', 'closed']),
  offline: z.boolean().default(false),
  /** When the chat was last closed: the start of its reopen window. */
  closedAt: IsoTime.optional(),
  /** The request's status before the close: reopening transitions back to it when the workflow allows. */
  reopenStatusId: z.string().max(32).optional(),
});
export type ConversationProperty = z.infer<typeof ConversationProperty>;

/** Issue property holding the WhatsApp contact (name and phone live only here). */
export const WHATSAPP_PROPERTY = 'chat.whatsapp';
export const WhatsAppProperty = WhatsAppContact;

/** Comment property on every comment the app wrote (so the comment trigger does not echo it back). */
export const MESSAGE_PROPERTY = 'chat.message';
export const MessageProperty = z.object({
  source: z.enum(['customer', 'agent-panel', 'system']),
  clientMsgId: ClientMsgId.optional(),
  /** For customer messages: whose message this is (the app posts them as itself). */
  customerAccountId: AccountId.optional(),
  attachmentId: z.string().optional(),
});
export type MessageProperty = z.infer<typeof MessageProperty>;

/** JSM's own comment property for internal notes. */
export const JSM_PUBLIC_PROPERTY = 'sd.public.comment';
