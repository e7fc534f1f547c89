/**
 * The app's resolver functions, called by the Custom UIs with `invoke(name, payload)`
 * from @forge/bridge. Every resolver checks that `context.accountId` may see the issue
 * or project (and for settings, administer it) before answering.
 * Errors: resolvers throw; the UI receives the rejection with a message.
 */
import { z } from 'zod';
import { AccountId, ClientMsgId, ConversationId, IsoTime, ProjectKey } from './ids.js';
import { AgentPresence, AgentStatus, AttachmentRef, ChatMessage, CustomerPresence, MessageText, ProjectChatConfig, ProjectChatConfigInput } from './model.js';
import { Schedule } from './schedule.js';
import { MAX_AGENT_QUERY_CHARS } from './limits.js';
import { Channel } from './webtrigger.js';
import { AnalyticsResolvers } from './resolvers-analytics.js';
import { CannedReplies } from './canned.js';
import { MAX_TEMPLATE_PARAM_CHARS, MAX_TEMPLATE_PARAMS, WhatsAppTemplate } from './whatsapp-templates.js';

const Person = z.object({ accountId: AccountId, name: z.string(), avatarUrl: z.string().optional() });

export const ConversationView = z.object({
  id: ConversationId,
  status: z.enum(['open', 'closed']),
  channel: Channel,
  started: IsoTime,
  customer: Person.extend({ email: z.string().nullable() }),
  whatsapp: z.object({ name: z.string().nullable(), phone: z.string() }).nullable(),
  assignee: Person.nullable(),
});

export const DashboardChat = z.object({
  conversationId: ConversationId,
  summary: z.string(),
  customerName: z.string(),
  channel: Channel,
  status: z.enum(['open', 'closed']),
  /** Customer's last message not yet answered: when it came (null = not waiting). */
  waitingSince: IsoTime.nullable(),
  lastActivity: IsoTime,
  assignee: Person.nullable(),
  /** Raised from the offline form (no live chat): listed apart from live chats. */
  offline: z.boolean().default(false),
  /** The newest message customers may read, clipped (never an internal note or restricted comment). */
  preview: z
    .object({ author: z.enum(['customer', 'agent', 'system']), text: z.string() })
    .nullable()
    .default(null),
});

export const Resolvers = {
  'panel.load': {
    req: z.object({ issueKey: ConversationId }),
    res: z.object({
      isChat: z.boolean(),
      conversation: ConversationView.nullable(),
      messages: z.array(ChatMessage),
      hasMore: z.boolean(),
      customerPresence: CustomerPresence.nullable(),
      me: Person.extend({ status: AgentStatus }),
    }),
  },
  'panel.history': {
    req: z.object({ issueKey: ConversationId, before: z.string().max(64) }),
    res: z.object({ messages: z.array(ChatMessage), hasMore: z.boolean() }),
  },
  'chat.send': {
    req: z.object({ issueKey: ConversationId, clientMsgId: ClientMsgId, text: MessageText }),
    res: z.object({ message: ChatMessage }),
  },
  'chat.sendAttachment': {
    req: z.object({ issueKey: ConversationId, clientMsgId: ClientMsgId, attachment: AttachmentRef }),
    res: z.object({ message: ChatMessage }),
  },
  'chat.take': { req: z.object({ issueKey: ConversationId }), res: z.object({ assignee: Person }) },
  'chat.close': {
    req: z.object({ issueKey: ConversationId }),
    /** resolved: the request was moved to a done status (false when the workflow offers no such transition). */
    res: z.object({ status: z.literal('closed'), resolved: z.boolean().optional() }),
  },
  'attachment.url': {
    req: z.object({ issueKey: ConversationId, attachmentId: AttachmentRef.shape.id }),
    res: z.object({ url: z.string(), expiresAt: IsoTime }),
  },
  /**
   * The app's signed statement of the caller's agent projects (agent-grant.ts), for the agent
   * page to present to the presence service with requestRemote (agent-ticket, presence.set).
   * projectKey limits it to one project (else all the caller's chat projects).
   */
  'presence.grant': {
    req: z.object({ projectKey: ProjectKey.optional() }),
    res: z.object({ grant: z.string(), projects: z.array(ProjectKey), expiresAt: IsoTime }),
  },
  'dashboard.load': {
    req: z.object({ projectKey: ProjectKey }),
    res: z.object({ chats: z.array(DashboardChat), agents: z.array(AgentPresence.extend({ name: z.string() })), me: Person.extend({ status: AgentStatus }) }),
  },
  /** One row, read by key (strongly consistent): what a `conversation.activity` frame changed; null = no longer an open chat. */
  'dashboard.row': {
    req: z.object({ projectKey: ProjectKey, conversationId: ConversationId }),
    res: z.object({ chat: DashboardChat.nullable() }),
  },
  'projectSettings.load': {
    req: z.object({ projectKey: ProjectKey }),
    res: z.object({
      canEdit: z.boolean(),
      config: ProjectChatConfig.nullable(),
      requestTypes: z.array(z.object({ id: z.string(), name: z.string() })),
      serviceDeskId: z.string().nullable(),
      projectId: z.string(),
      agents: z.array(AgentPresence.extend({ name: z.string(), schedule: Schedule.nullable() })),
      embedSnippet: z.string().nullable(),
    }),
  },
  'projectSettings.save': {
    req: z.object({ projectKey: ProjectKey, config: ProjectChatConfigInput }),
    res: z.object({ config: ProjectChatConfig, embedSnippet: z.string() }),
  },
  'projectSettings.rotateSecret': { req: z.object({ projectKey: ProjectKey }), res: z.object({ secret: z.string() }) },
  'projectSettings.saveAgentSchedule': {
    req: z.object({ projectKey: ProjectKey, accountId: AccountId, schedule: Schedule.nullable() }),
    res: z.object({ schedule: Schedule.nullable() }),
  },
  /** Agents of the project whose name or email starts with `query` (so an admin can set hours of agents who are offline). */
  'projectSettings.findAgents': {
    req: z.object({ projectKey: ProjectKey, query: z.string().trim().min(1).max(MAX_AGENT_QUERY_CHARS) }),
    res: z.object({ agents: z.array(Person) }),
  },
  'projectSettings.forceOffline': {
    req: z.object({ projectKey: ProjectKey, accountId: AccountId }),
    res: z.object({ agent: AgentPresence }),
  },
  /** Approved WhatsApp templates for a WhatsApp chat (issue 15): what an agent may send after the 24-hour window closed. */
  'whatsapp.templates': { req: z.object({ issueKey: ConversationId }), res: z.object({ templates: z.array(WhatsAppTemplate) }) },
  /** Sends an approved template with its parameters; the filled text becomes the agent's comment on the request. */
  'chat.sendTemplate': {
    req: z.object({
      issueKey: ConversationId,
      clientMsgId: ClientMsgId,
      name: WhatsAppTemplate.shape.name,
      language: WhatsAppTemplate.shape.language,
      parameters: z.array(z.string().trim().min(1).max(MAX_TEMPLATE_PARAM_CHARS)).max(MAX_TEMPLATE_PARAMS),
    }),
    res: z.object({ message: ChatMessage }),
  },
  /** The project's canned replies (issue 15): agents of the project read them in the panel, project admins too. */
  'cannedReplies.list': { req: z.object({ projectKey: ProjectKey }), res: z.object({ replies: CannedReplies, canEdit: z.boolean() }) },
  /** Replaces the whole list (project admins only); kept in the app's Forge storage. */
  'cannedReplies.save': { req: z.object({ projectKey: ProjectKey, replies: CannedReplies }), res: z.object({ replies: CannedReplies }) },
  'admin.load': {
    req: z.object({}),
    res: z.object({
      isAdmin: z.boolean(),
      presenceUrl: z.string(),
      connection: z.object({ ok: z.boolean(), message: z.string(), version: z.string().nullable(), linked: z.boolean() }),
      analytics: z.boolean(),
      whatsapp: z.object({
        configured: z.boolean(),
        projectKey: ProjectKey.nullable(),
        phoneNumberId: z.string().nullable(),
        webhookUrl: z.string().nullable(),
      }),
      projects: z.array(z.object({ key: ProjectKey, name: z.string(), chatEnabled: z.boolean(), agentsOnline: z.number().int() })),
      /** What the admin must fix for chats to work (e.g. a Jira permission the app's user lacks). */
      warnings: z.array(z.string()).optional(),
    }),
  },
  'admin.relink': { req: z.object({}), res: z.object({ ok: z.boolean(), message: z.string() }) },
  'admin.saveSettings': { req: z.object({ analytics: z.boolean() }), res: z.object({ analytics: z.boolean() }) },
  'admin.saveWhatsApp': {
    req: z.object({
      /** WhatsApp Business Account id: where the approved templates are listed (optional; issue 15). */
      wabaId: z
        .string()
        .regex(/^[0-9]{5,30}$/)
        .optional(),
      projectKey: ProjectKey,
      phoneNumberId: z.string(),
      accessToken: z.string(),
      appSecret: z.string(),
      verifyToken: z.string(),
    }),
    res: z.object({ configured: z.literal(true), webhookUrl: z.string() }),
  },
  ...AnalyticsResolvers,
} satisfies Record<string, { req: z.ZodTypeAny; res: z.ZodTypeAny }>;

export type ResolverName = keyof typeof Resolvers;
export type ResolverRequest<N extends ResolverName> = z.input<(typeof Resolvers)[N]['req']>;
export type ResolverResponse<N extends ResolverName> = z.infer<(typeof Resolvers)[N]['res']>;
