/**
 * Calls from the presence service to the app's `inbound` webtrigger.
 * Body: one JSON object with a `type`. Headers: SIGNATURE_HEADER and TIMESTAMP_HEADER
 * (see signature.ts): the webtrigger URL carries no auth of its own.
 * Every call that writes to Jira is idempotent by `clientMsgId`.
 * Success: 200 with the matching response body. Failure: 4xx/5xx with WebtriggerError.
 */
import { z } from 'zod';
import { AccountId, ClientMsgId, ConversationId, IsoTime, ProjectKey } from './ids.js';
import {
  MAX_DISPLAY_NAME_CHARS,
  MAX_EMAIL_CHARS,
  MAX_PRECHAT_ANSWER_CHARS,
  MAX_RATING_COMMENT_CHARS,
  MAX_USAGE_COUNT,
  MAX_USAGE_PROJECTS_PER_CALL,
  RATING_MAX,
  RATING_MIN,
} from './limits.js';
import { AttachmentRef, ChatMessage, ConversationSummary, MessageText } from './model.js';

export const Channel = z.enum(['web', 'whatsapp']);

export const CustomerIdentity = z.object({
  /** Known once the app created or found the JSM customer. */
  accountId: AccountId.optional(),
  name: z.string().max(MAX_DISPLAY_NAME_CHARS).nullable(),
  email: z.string().email().max(MAX_EMAIL_CHARS).nullable(),
  /** The identity came from a site-signed JWT. */
  verified: z.boolean(),
});
export type CustomerIdentity = z.infer<typeof CustomerIdentity>;

/**
 * Who sent a call that writes, as the presence service knows them: `v:<hex>` for a widget
 * visitor (a keyed hash derived from the visitor token's hash: stable per visitor, reveals
 * nothing), `wa:<phoneNumberId>:<waId>` for a WhatsApp sender on a business number.
 * The app binds every idempotency record to it: a message id replayed by anyone else is
 * refused (403) and changes nothing. Message ids are random but not secret (they sit in
 * comment properties, frames and the widget's storage), so they can never be a credential.
 */
export const CallerKey = z.string().regex(/^(v:[0-9a-f]{32,128}|wa:[0-9]{1,32}:[0-9]{6,20})$/, 'a caller key (v:<hex> or wa:<phone number id>:<wa id>)');
export type CallerKey = z.infer<typeof CallerKey>;

export const WhatsAppContact = z.object({ waId: z.string().regex(/^[0-9]{6,20}$/), name: z.string().max(MAX_DISPLAY_NAME_CHARS).nullable() });

/** A count of widget views in one flush interval. */
const UsageCount = z.number().int().min(0).max(MAX_USAGE_COUNT);

export const InboundCall = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping') }),
  z.object({
    type: z.literal('conversation.start'),
    projectKey: ProjectKey,
    clientMsgId: ClientMsgId,
    caller: CallerKey,
    channel: Channel,
    customer: CustomerIdentity,
    prechatFields: z.record(z.string(), z.string().max(MAX_PRECHAT_ANSWER_CHARS)).default({}),
    text: MessageText,
    offline: z.boolean().default(false),
    whatsapp: WhatsAppContact.optional(),
  }),
  z.object({
    type: z.literal('message.customer'),
    conversationId: ConversationId,
    customerAccountId: AccountId,
    clientMsgId: ClientMsgId,
    caller: CallerKey,
    /** Text, or a caption for an attachment. */
    text: z.string().max(10_000).default(''),
    attachment: AttachmentRef.extend({ url: z.string().url() }).optional(),
  }),
  z.object({
    type: z.literal('history'),
    conversationId: ConversationId,
    /** When set, the conversation must belong to this customer (else 403). */
    customerAccountId: AccountId.optional(),
    before: z.string().max(64).optional(),
    limit: z.number().int().min(1).max(100).default(50),
  }),
  z.object({ type: z.literal('conversations.list'), projectKey: ProjectKey, customerAccountId: AccountId }),
  /**
   * Automatic assignment (issue 15): the service claimed a slot of this agent for the chat;
   * the app makes the agent the request's assignee in Jira unless the chat is closed or
   * already assigned (then `assigned: false` and the service frees the slot).
   */
  z.object({ type: z.literal('assign'), conversationId: ConversationId, accountId: AccountId }),
  /** A closed chat's rating, recorded with JSM's request feedback (CSAT) by the app; the customer must own the chat. */
  z.object({
    type: z.literal('feedback'),
    conversationId: ConversationId,
    customerAccountId: AccountId,
    caller: CallerKey,
    rating: z.number().int().min(RATING_MIN).max(RATING_MAX),
    comment: z.string().max(MAX_RATING_COMMENT_CHARS).optional(),
  }),
  /**
   * Widget views the service counted since its last call (customer frame `view`): how many
   * times the widget loaded and the chat was opened, per project. Counts only, no ids, no
   * times; sent only while the site's analytics switch is on. The app turns them into the
   * `widget_loaded` / `chat_opened` analytics events, or drops them when analytics is off.
   */
  z.object({
    type: z.literal('usage'),
    counts: z
      .array(z.object({ projectKey: ProjectKey, loaded: UsageCount, opened: UsageCount }))
      .min(1)
      .max(MAX_USAGE_PROJECTS_PER_CALL),
  }),
]);
export type InboundCall = z.infer<typeof InboundCall>;
export type InboundCallType = InboundCall['type'];

export const InboundResponse = {
  ping: z.object({ ok: z.literal(true), appVersion: z.string() }),
  'conversation.start': z.object({
    conversationId: ConversationId,
    issueId: z.string(),
    customerAccountId: AccountId,
    messageId: z.string(),
    at: IsoTime,
    /** Added later, optional: the message joined the customer's open conversation (WhatsApp) instead of opening one. */
    appended: z.boolean().optional(),
  }),
  'message.customer': z.object({ messageId: z.string(), at: IsoTime }),
  history: z.object({ messages: z.array(ChatMessage), hasMore: z.boolean() }),
  feedback: z.object({ ok: z.literal(true) }),
  assign: z.object({ assigned: z.boolean() }),
  /** `recorded: false`: analytics is off (or no sink is configured) and the counts were dropped. */
  usage: z.object({ recorded: z.boolean() }),
  'conversations.list': z.object({
    conversations: z.array(ConversationSummary),
    /** Added later, optional: the customer's display name as Jira holds it (the service stores no names). */
    customerName: z.string().max(MAX_DISPLAY_NAME_CHARS).optional(),
  }),
} satisfies Record<InboundCallType, z.ZodTypeAny>;

export type InboundResponseOf<T extends InboundCallType> = z.infer<(typeof InboundResponse)[T]>;

export const WebtriggerError = z.object({
  error: z.object({
    code: z.enum(['bad_signature', 'stale', 'invalid', 'forbidden', 'not_found', 'not_configured', 'jira_error', 'internal']),
    message: z.string(),
  }),
});
export type WebtriggerError = z.infer<typeof WebtriggerError>;
