import { z } from 'zod';
import { AccountId, ClientMsgId, ConversationId, IsoTime, ProjectKey, WidgetId } from './ids.js';
import {
  HEX_COLOUR_PATTERN,
  MAX_ALLOWED_ORIGINS,
  MAX_FIELD_LABEL_CHARS,
  MAX_DISPLAY_NAME_CHARS,
  MAX_MESSAGE_CHARS,
  MAX_ORIGIN_CHARS,
  MAX_PRECHAT_FIELDS,
  MAX_TEAM_NAME_CHARS,
  MAX_WIDGET_TEXT_CHARS,
  MAX_REOPEN_WINDOW_MINUTES,
  DEFAULT_AGENT_CAPACITY,
  MAX_AGENT_CAPACITY,
} from './limits.js';
import { migrateVisibility } from './availability.js';
import { HoursZone, Schedule, WidgetShows } from './schedule.js';

export const MessageText = z
  .string()
  .trim()
  .min(1, 'message text is empty')
  .max(MAX_MESSAGE_CHARS, `message text is longer than ${MAX_MESSAGE_CHARS} characters`);

export const AttachmentRef = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  name: z.string().min(1).max(255),
  size: z.number().int().nonnegative(),
  mime: z.string().min(1).max(100),
});
export type AttachmentRef = z.infer<typeof AttachmentRef>;

export const AuthorKind = z.enum(['customer', 'agent', 'system']);
export const Author = z.object({
  kind: AuthorKind,
  accountId: AccountId.optional(),
  name: z.string().max(MAX_DISPLAY_NAME_CHARS),
  avatarUrl: z.string().url().optional(),
});
export type Author = z.infer<typeof Author>;

/** One chat message as both clients show it. In Jira it is one comment. */
export const ChatMessage = z.object({
  /** The Jira comment id. */
  id: z.string().min(1).max(64),
  conversationId: ConversationId,
  clientMsgId: ClientMsgId.optional(),
  author: Author,
  text: z.string().max(MAX_MESSAGE_CHARS * 2),
  at: IsoTime,
  attachment: AttachmentRef.optional(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ConversationStatus = z.enum(['open', 'closed']);
export const ConversationSummary = z.object({
  id: ConversationId,
  status: ConversationStatus,
  updated: IsoTime,
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const AgentStatus = z.enum(['online', 'away', 'offline']);
export type AgentStatus = z.infer<typeof AgentStatus>;

/** What a visitor is told about the team. */
export const Availability = z.object({
  /** online: an agent is available now; away: agents online but away; offline: none. */
  state: z.enum(['online', 'away', 'offline']),
  /** Whether the widget should show at all (widgetShows "when-answered" hides it while state is not online). */
  visible: z.boolean(),
  /** Next opening per schedule (UTC instant; the widget formats it in the visitor's zone). */
  nextOpenAt: IsoTime.nullable(),
});
export type Availability = z.infer<typeof Availability>;

export const PrechatField = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
  label: z.string().min(1).max(MAX_FIELD_LABEL_CHARS),
  type: z.enum(['text', 'email', 'textarea', 'select']),
  required: z.boolean().default(false),
  options: z.array(z.string().max(100)).max(50).optional(),
});
export type PrechatField = z.infer<typeof PrechatField>;

/** The widget's public configuration: safe to send to any visitor. */
export const WidgetConfig = z.object({
  teamName: z.string().min(1).max(MAX_TEAM_NAME_CHARS).default('Support'),
  color: z.string().regex(HEX_COLOUR_PATTERN, 'a colour "#RRGGBB"').default('#0052CC'),
  position: z.enum(['right', 'left']).default('right'),
  greeting: z.string().max(MAX_WIDGET_TEXT_CHARS).default('Hi! How can we help?'),
  offlineText: z.string().max(MAX_WIDGET_TEXT_CHARS).default("We're away right now. Leave a message and we'll reply by email."),
  locale: z.enum(['auto', 'en', 'de']).default('auto'),
  /** Name and email are built in; these are extra fields shown on the pre-chat form. */
  requireName: z.boolean().default(true),
  requireEmail: z.boolean().default(true),
  prechatFields: z.array(PrechatField).max(MAX_PRECHAT_FIELDS).default([]),
  attachments: z.boolean().default(true),
});
export type WidgetConfig = z.infer<typeof WidgetConfig>;

/**
 * Automatic assignment of new chats (issue 15): to an available agent (online, inside their
 * hours) with fewer open auto-assigned chats than their capacity; round robin takes turns,
 * least busy picks the agent with the fewest. Nobody free: the chat waits in the queue.
 */
export const AssignmentConfig = z.object({
  mode: z.enum(['off', 'round_robin', 'least_busy']).default('off'),
  capacity: z.number().int().min(1).max(MAX_AGENT_CAPACITY).default(DEFAULT_AGENT_CAPACITY),
  /** Per-agent capacity by accountId (0: never assigned automatically); others get `capacity`. */
  capacities: z.record(AccountId, z.number().int().min(0).max(MAX_AGENT_CAPACITY)).default({}),
});
export type AssignmentConfig = z.infer<typeof AssignmentConfig>;

export const VerificationMode = z.enum(['off', 'report', 'required']);
export type VerificationMode = z.infer<typeof VerificationMode>;

/**
 * A project's chat configuration as the presence service stores it (set by the app's
 * project settings page through Forge Remote). Never contains conversation content.
 */
const ProjectChatConfigFields = z.object({
  projectKey: ProjectKey,
  projectId: z.string().min(1).max(32),
  serviceDeskId: z.string().min(1).max(32),
  requestTypeId: z.string().min(1).max(32),
  enabled: z.boolean().default(true),
  widgetId: WidgetId,
  allowedOrigins: z.array(z.string().url().max(MAX_ORIGIN_CHARS)).max(MAX_ALLOWED_ORIGINS),
  widget: WidgetConfig,
  /** When the widget shows; see the availability model in schedule.ts. */
  widgetShows: WidgetShows.default('always'),
  /** Opening hours; when set they always apply (null = no hours: agents' presence alone decides). */
  schedule: Schedule.nullable().default(null),
  hoursZone: HoursZone.default('project'),
  verification: VerificationMode.default('off'),
  /** How long after a chat closes the customer's next message reopens it (else a new chat starts); unset: DEFAULT_REOPEN_WINDOW_MINUTES. */
  reopenWindowMinutes: z.number().int().min(0).max(MAX_REOPEN_WINDOW_MINUTES).optional(),
  assignment: AssignmentConfig.default({ mode: 'off', capacity: DEFAULT_AGENT_CAPACITY, capacities: {} }),
  /** True when an identity verification secret exists; the secret itself never leaves the store. */
  hasIdentitySecret: z.boolean().default(false),
  updatedAt: IsoTime,
});
/** Configurations stored before issue 11 carry `visibility`; they are migrated on every read. */
export const ProjectChatConfig = withMigration(ProjectChatConfigFields);
export type ProjectChatConfig = z.infer<typeof ProjectChatConfig>;

/** What the settings page may write; the service fills widgetId and updatedAt. */
export const ProjectChatConfigInput = withMigration(ProjectChatConfigFields.omit({ widgetId: true, updatedAt: true, hasIdentitySecret: true }));

/** The schema with the legacy `visibility` migrated first; typed by the current fields (legacy input is runtime-only). */
function withMigration<S extends z.ZodType>(schema: S) {
  return z.preprocess<unknown, S, z.input<S>>((raw) => migrateVisibility(raw), schema);
}
export type ProjectChatConfigInput = z.infer<typeof ProjectChatConfigInput>;

export const AgentPresence = z.object({
  accountId: AccountId,
  status: AgentStatus,
  /** status is online and the agent's own schedule (if any) is open now. */
  available: z.boolean(),
  lastSeen: IsoTime.nullable(),
  forcedOffline: z.boolean().default(false),
});
export type AgentPresence = z.infer<typeof AgentPresence>;

export const CustomerPresence = z.object({
  online: z.boolean(),
  lastSeen: IsoTime.nullable(),
});
export type CustomerPresence = z.infer<typeof CustomerPresence>;

export { ProjectKey, ConversationId, ClientMsgId, AccountId, WidgetId, IsoTime };
