/**
 * Frames on the customer socket: `wss://<presence>/ws/customer`.
 * Every frame is one JSON object with a `type`. The first client frame must be `auth`
 * within AUTH_TIMEOUT_MS. See docs/protocol.md for the sequence diagrams.
 */
import { z } from 'zod';
import { AttachmentRef, Availability, ChatMessage, ConversationSummary, MessageText, WidgetConfig } from './model.js';
import { CLIENT_MSG_ID_PATTERN, CONVERSATION_ID_PATTERN, ClientMsgId, ConversationId, IsoTime, WidgetId } from './ids.js';
import {
  MAX_DISPLAY_NAME_CHARS,
  MAX_EMAIL_CHARS,
  MAX_MESSAGE_CHARS,
  MAX_PRECHAT_ANSWER_CHARS,
  MAX_RATING_COMMENT_CHARS,
  RATING_MAX,
  RATING_MIN,
} from './limits.js';

export const Prechat = z.object({
  name: z.string().trim().min(1).max(MAX_DISPLAY_NAME_CHARS).optional(),
  email: z.string().trim().email('a valid email address').max(MAX_EMAIL_CHARS).optional(),
  fields: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,31}$/), z.string().max(MAX_PRECHAT_ANSWER_CHARS)).optional(),
});
export type Prechat = z.infer<typeof Prechat>;

// ---- client -> server -------------------------------------------------------------

export const CustomerAuth = z.object({
  type: z.literal('auth'),
  widgetId: WidgetId,
  /** Visitor token from an earlier `auth.ok` (kept by the widget in localStorage). */
  token: z.string().min(20).max(200).optional(),
  /** Site-signed identity JWT (HS256, project secret) for verified visitors. */
  jwt: z.string().min(20).max(4096).optional(),
  /** The visitor's IANA zone, for "back at <local time>" and visitor-local schedules. */
  timeZone: z.string().max(64).optional(),
  locale: z.string().max(35).optional(),
});

export const ConversationStart = z.object({
  type: z.literal('conversation.start'),
  clientMsgId: ClientMsgId,
  text: MessageText,
  prechat: Prechat.default({}),
  /** Leave-a-message form while no agent is available: creates the request all the same. */
  offline: z.boolean().default(false),
});

export const MessageSend = z.object({
  type: z.literal('message.send'),
  conversationId: ConversationId,
  clientMsgId: ClientMsgId,
  text: MessageText,
});

const MESSAGE_SEND_KEYS = ['type', 'conversationId', 'clientMsgId', 'text'];

/**
 * The frame a chatting visitor sends most, checked without the schema's machinery: a
 * `message.send` with exactly its four fields, tested with the patterns and limits the
 * schema uses (ConversationId, ClientMsgId, MessageText: trimmed, 1..MAX_MESSAGE_CHARS).
 * Returns what `MessageSend.parse` returns for it, or null for anything else, which then
 * goes through the schema (the source of truth, and of every error message).
 * frames.fuzz.test.ts holds the two to the same answers; should MessageSend gain or lose a
 * field, this turns itself off (null for every frame) rather than disagree.
 */
export function parseMessageSendFast(json: Record<string, unknown>): z.infer<typeof MessageSend> | null {
  if (!FAST_MESSAGE_SEND) return null;
  const { type, conversationId, clientMsgId, text } = json;
  if (type !== 'message.send' || typeof conversationId !== 'string' || typeof clientMsgId !== 'string' || typeof text !== 'string') return null;
  // Exactly the four: the schema would strip anything else, so such a frame takes the schema's path.
  let n = 0;
  for (const k in json) if (++n > 4 || !Object.prototype.hasOwnProperty.call(json, k)) return null;
  if (n !== 4 || !CONVERSATION_ID_PATTERN.test(conversationId) || !CLIENT_MSG_ID_PATTERN.test(clientMsgId)) return null;
  const trimmed = text.trim();
  if (trimmed.length < 1 || trimmed.length > MAX_MESSAGE_CHARS) return null;
  return { type, conversationId, clientMsgId, text: trimmed };
}

/** Send an attachment already uploaded over HTTP (POST /v1/attachments): it becomes a message like any other. */
export const AttachmentSend = z.object({
  type: z.literal('attachment.send'),
  conversationId: ConversationId,
  clientMsgId: ClientMsgId,
  attachmentId: AttachmentRef.shape.id,
  caption: z.string().max(1000).optional(),
});

const FAST_MESSAGE_SEND =
  Object.keys(MessageSend.shape).join() === MESSAGE_SEND_KEYS.join() &&
  MessageSend.shape.conversationId === ConversationId &&
  MessageSend.shape.clientMsgId === ClientMsgId &&
  MessageSend.shape.text === MessageText;

export const Typing = z.object({ type: z.literal('typing'), conversationId: ConversationId, on: z.boolean() });
export const Seen = z.object({ type: z.literal('seen'), conversationId: ConversationId, messageId: z.string().min(1).max(64) });
export const HistoryRequest = z.object({
  type: z.literal('history'),
  conversationId: ConversationId,
  /** Return messages older than this message id; absent = newest page. */
  before: z.string().max(64).optional(),
});
export const AttachmentUrlRequest = z.object({ type: z.literal('attachment.url'), conversationId: ConversationId, attachmentId: AttachmentRef.shape.id });
export const Ping = z.object({ type: z.literal('ping') });
/**
 * The visitor rates a closed chat (issue 15): passed through the app to JSM's request feedback
 * (CSAT) of the chat's request; the service keeps nothing of it. Answered with `rated`.
 */
export const Rating = z.object({
  type: z.literal('rating'),
  conversationId: ConversationId,
  rating: z.number().int().min(RATING_MIN).max(RATING_MAX),
  comment: z.string().trim().max(MAX_RATING_COMMENT_CHARS).optional(),
});

/**
 * What the visitor sees: the widget loaded on a page (`loaded`, once per page and tab) or
 * the chat panel opened (`opened`). Nothing else travels: no page, no time, no id. The
 * service only counts them, per project, while the site's analytics switch is on, and
 * forwards the counts to the app (webtrigger `usage`); with analytics off it drops them
 * unread. No answer.
 */
export const View = z.object({ type: z.literal('view'), what: z.enum(['loaded', 'opened']) });

export const CustomerClientFrame = z.discriminatedUnion('type', [
  CustomerAuth,
  ConversationStart,
  MessageSend,
  AttachmentSend,
  Typing,
  Seen,
  HistoryRequest,
  AttachmentUrlRequest,
  Ping,
  Rating,
  View,
]);
export type CustomerClientFrame = z.infer<typeof CustomerClientFrame>;

// ---- server -> client -------------------------------------------------------------

export const ErrorCode = z.enum([
  'bad_frame', // not JSON, or not an object with a known type
  'invalid', // schema validation failed; message names the field
  'unauthenticated',
  'forbidden',
  'not_found',
  'rate_limited',
  'unavailable', // Jira/app or the shared store cannot be reached; retry later
  'origin_not_allowed',
  'verification_required',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const CustomerServerFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('auth.ok'),
    /** Present only when the service issued a new visitor token: store it. */
    token: z.string().optional(),
    customer: z.object({ name: z.string().nullable(), email: z.string().nullable(), verified: z.boolean() }),
    config: WidgetConfig,
    availability: Availability,
    /**
     * The visitor's conversations, newest first. Absent when Jira could not be read just now
     * (the app unreachable): the widget keeps the conversation it shows and asks its history.
     */
    conversations: z.array(ConversationSummary).optional(),
  }),
  z.object({ type: z.literal('message.ack'), clientMsgId: ClientMsgId, conversationId: ConversationId, messageId: z.string(), at: IsoTime }),
  z.object({ type: z.literal('message.failed'), clientMsgId: ClientMsgId, code: ErrorCode, message: z.string(), retryable: z.boolean() }),
  z.object({ type: z.literal('message'), message: ChatMessage }),
  z.object({ type: z.literal('typing'), conversationId: ConversationId, on: z.boolean(), name: z.string().optional() }),
  z.object({ type: z.literal('seen'), conversationId: ConversationId, messageId: z.string() }),
  z.object({ type: z.literal('availability'), availability: Availability }),
  /** The project's widget look changed in settings: applied at once, no reload (issue 11). */
  z.object({ type: z.literal('config'), config: WidgetConfig }),
  z.object({ type: z.literal('history'), conversationId: ConversationId, messages: z.array(ChatMessage), hasMore: z.boolean() }),
  z.object({ type: z.literal('conversation.updated'), conversation: ConversationSummary }),
  z.object({ type: z.literal('attachment.url'), attachmentId: z.string(), url: z.string(), expiresAt: IsoTime }),
  /** The service's copy is gone (kept ATTACHMENT_RETENTION_MS); the file stays attached to the request in Jira. */
  z.object({ type: z.literal('attachment.expired'), attachmentId: z.string() }),
  /** The rating is recorded as the request's feedback in JSM. */
  z.object({ type: z.literal('rated'), conversationId: ConversationId }),
  z.object({ type: z.literal('pong') }),
  z.object({ type: z.literal('error'), code: ErrorCode, message: z.string(), ref: z.string().optional() }),
]);
export type CustomerServerFrame = z.infer<typeof CustomerServerFrame>;
