/**
 * Calls from the app (Forge) to the presence service over Forge Remote.
 * Every request carries `Authorization: Bearer <Forge Invocation Token>`; the service
 * verifies it (RS256 against the configured JWKS, iss, aud = ari:cloud:ecosystem::app/<appId>)
 * and takes the site (cloudId) and the acting user (principal) from it, never from the body.
 * All are `POST <baseUrl>/forge/v1/<name>` with a JSON body; errors are
 * `{ error: { code, message } }` with a 4xx/5xx status.
 */
import { z } from 'zod';
import { AccountId, ConversationId, IsoTime, ProjectKey } from './ids.js';
import { AgentPresence, AgentStatus, Availability, ChatMessage, CustomerPresence, ProjectChatConfig, ProjectChatConfigInput } from './model.js';
import { Schedule } from './schedule.js';
import { ConversationActivity } from './agent-ws.js';
import { WhatsAppContact } from './webtrigger.js';
import { MAX_TEMPLATE_PARAM_CHARS, MAX_TEMPLATE_PARAMS, WhatsAppTemplate } from './whatsapp-templates.js';
import { PersonalDataCalls } from './personal-data.js';
import { WhatsAppCredentialFields } from './whatsapp-credentials.js';

export const REMOTE_KEY = 'presence';
export const REMOTE_PREFIX = '/forge/v1';

export const RemoteCalls = {
  /** Link this installation: the service stores the webtrigger URL and returns a fresh shared secret. */
  link: {
    req: z.object({ webtriggerUrl: z.string().url(), appVersion: z.string().max(40).optional() }),
    /** publicUrl: the service's public base URL (widget.js, WebSockets), for the embed snippet. Optional: added later. */
    res: z.object({ secret: z.string().min(32), linkedAt: IsoTime, publicUrl: z.string().url().optional() }),
  },
  /** Connection check for the admin page. */
  status: {
    req: z.object({}),
    res: z.object({
      ok: z.literal(true),
      version: z.string(),
      linked: z.boolean(),
      store: z.enum(['embedded', 'redis']),
      blobs: z.enum(['disk', 's3']),
      analytics: z.boolean(),
      publicUrl: z.string().url().optional(),
    }),
  },
  /**
   * A single-use ticket for the agent's socket. Frontend only (`requestRemote` from an agent
   * page): the FIT's principal is the agent, the grant (agent-grant.ts) the app's list of
   * their projects; the grant's subject must be the principal.
   */
  'agent-ticket': {
    req: z.object({ grant: z.string().min(20).max(8000) }),
    res: z.object({ ticket: z.string(), url: z.string(), expiresAt: IsoTime }),
  },
  /** An agent's public message (already a Jira comment) to the customer and watching agents. */
  relay: {
    /** whatsapp (optional, added later): the conversation's channel is WhatsApp; the service also sends the text there. */
    req: z.object({ message: ChatMessage, whatsapp: z.object({ waId: WhatsAppContact.shape.waId }).optional() }),
    /** whatsapp: present when the request named it. `outside_window`: Meta's 24-hour window is closed (error 131047). */
    res: z.object({
      delivered: z.number().int().nonnegative(),
      whatsapp: z.object({ sent: z.boolean(), code: z.enum(['outside_window', 'not_configured', 'rejected', 'unavailable']).optional() }).optional(),
    }),
  },
  /** Conversation state changes for dashboards and the customer (closed, assigned). */
  'conversation-activity': {
    req: z.object({ activity: ConversationActivity, status: z.enum(['open', 'closed']).optional() }),
    res: z.object({ ok: z.literal(true) }),
  },
  'project-config.get': {
    req: z.object({ projectKey: ProjectKey }),
    res: z.object({ config: ProjectChatConfig.nullable() }),
  },
  'project-config.put': {
    req: z.object({ config: ProjectChatConfigInput }),
    res: z.object({ config: ProjectChatConfig }),
  },
  /** New identity-verification secret; returned once, only its existence is readable later. */
  'project-config.rotate-secret': {
    req: z.object({ projectKey: ProjectKey }),
    res: z.object({ secret: z.string() }),
  },
  'presence.get': {
    req: z.object({ projectKey: ProjectKey }),
    res: z.object({ agents: z.array(AgentPresence), availability: Availability }),
  },
  /**
   * Set an agent's status. Without accountId: the acting user's own status, frontend only
   * (FIT principal + a grant naming the project). With accountId: the app's backend after its
   * own admin check ("force offline"); a frontend call may not name another account.
   */
  'presence.set': {
    req: z.object({
      projectKey: ProjectKey,
      status: AgentStatus,
      accountId: AccountId.optional(),
      forced: z.boolean().default(false),
      grant: z.string().min(20).max(8000).optional(),
    }),
    res: z.object({ agent: AgentPresence }),
  },
  'agent-schedule.get': {
    req: z.object({ projectKey: ProjectKey, accountId: AccountId }),
    res: z.object({ schedule: Schedule.nullable() }),
  },
  'agent-schedule.put': {
    req: z.object({ projectKey: ProjectKey, accountId: AccountId, schedule: Schedule.nullable() }),
    res: z.object({ schedule: Schedule.nullable() }),
  },
  'customer-presence': {
    req: z.object({ conversationIds: z.array(ConversationId).max(200) }),
    res: z.object({ presence: z.record(z.string(), CustomerPresence) }),
  },
  /** A download URL (<= 5 min) for an attachment of a conversation the agent may see. */
  'attachment-url': {
    req: z.object({ conversationId: ConversationId, attachmentId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) }),
    res: z.object({ url: z.string(), expiresAt: IsoTime }),
  },
  'settings.put': {
    req: z.object({ analytics: z.boolean() }),
    res: z.object({ analytics: z.boolean() }),
  },
  /** WhatsApp credentials: write-only (stored encrypted). */
  'whatsapp.put': {
    req: z.object({
      projectKey: ProjectKey,
      phoneNumberId: WhatsAppCredentialFields.phoneNumberId,
      accessToken: WhatsAppCredentialFields.accessToken,
      appSecret: WhatsAppCredentialFields.appSecret,
      verifyToken: WhatsAppCredentialFields.verifyToken,
      /** The WhatsApp Business Account id (issue 15): where the approved message templates are listed. */
      wabaId: z.optional(WhatsAppCredentialFields.wabaId),
    }),
    res: z.object({ configured: z.literal(true), webhookUrl: z.string() }),
  },
  /**
   * Approved message templates of the site's WhatsApp Business Account (issue 15), for an agent
   * to reach a customer after the 24-hour window closed: `GET /{WABA-ID}/message_templates`.
   */
  'whatsapp.templates': {
    req: z.object({}),
    res: z.object({ templates: z.array(WhatsAppTemplate) }),
  },
  /** Sends an approved template with its body parameters (type "template"); allowed outside the 24-hour window. */
  'whatsapp.send-template': {
    req: z.object({
      conversationId: ConversationId,
      waId: WhatsAppContact.shape.waId,
      name: WhatsAppTemplate.shape.name,
      language: WhatsAppTemplate.shape.language,
      parameters: z.array(z.string().trim().min(1).max(MAX_TEMPLATE_PARAM_CHARS)).max(MAX_TEMPLATE_PARAMS),
    }),
    /** `params_mismatch`: Meta's 132000 (wrong number of parameters); `no_template`: 132001. */
    res: z.object({ sent: z.boolean(), code: z.enum(['params_mismatch', 'no_template', 'not_configured', 'rejected', 'unavailable']).optional() }),
  },
  'whatsapp.get': {
    req: z.object({}),
    res: z.object({ configured: z.boolean(), projectKey: ProjectKey.nullable(), phoneNumberId: z.string().nullable(), webhookUrl: z.string() }),
  },
  /** Personal data reporting (scheduled trigger only; see personal-data.ts). */
  ...PersonalDataCalls,
} satisfies Record<string, { req: z.ZodTypeAny; res: z.ZodTypeAny }>;

export type RemoteCallName = keyof typeof RemoteCalls;
export type RemoteRequest<N extends RemoteCallName> = z.input<(typeof RemoteCalls)[N]['req']>;
export type RemoteResponse<N extends RemoteCallName> = z.infer<(typeof RemoteCalls)[N]['res']>;

export const RemoteError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/**
 * The Forge Invocation Token, as Atlassian documents it ("Forge Remote essentials", table
 * "The Forge Invocation Token (FIT)"). `app.*` and `app.installation.*` are always present;
 * `context` only when a UI module invoked ("When invoked from a backend function, no
 * context is currently provided") and `principal` for UI modules only. `app.module.type` is
 * the UI module's type for frontend invocations, `core:endpoint` otherwise.
 * @see https://developer.atlassian.com/platform/forge/remote/essentials/#the-forge-invocation-token--fit-
 */
export const FIT_BACKEND_MODULE_TYPE = 'core:endpoint';
export const INSTALLATION_ARI_PREFIX = 'ari:cloud:ecosystem::installation/';

export const FitClaims = z
  .object({
    iss: z.literal('forge/invocation-token'),
    aud: z.string(),
    exp: z.number(),
    iat: z.number().optional(),
    nbf: z.number().optional(),
    jti: z.string().optional(),
    app: z
      .object({
        id: z.string(),
        installationId: z.string(),
        apiBaseUrl: z.string(),
        version: z.string().optional(),
        appVersion: z.string().optional(),
        environment: z.object({ type: z.string(), id: z.string() }),
        module: z.object({ type: z.string(), key: z.string() }),
        installation: z
          .object({
            id: z.string().startsWith(INSTALLATION_ARI_PREFIX),
            contexts: z.array(z.object({ name: z.string(), apiBaseUrl: z.string() }).passthrough()),
          })
          .passthrough(),
      })
      .passthrough(),
    context: z.object({ cloudId: z.string().optional(), moduleKey: z.string().optional(), siteUrl: z.string().optional() }).passthrough().optional(),
    principal: z.string().optional(),
  })
  .passthrough();
export type FitClaims = z.infer<typeof FitClaims>;
