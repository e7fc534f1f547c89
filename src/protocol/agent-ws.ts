/**
 * Frames on the agent socket: `wss://<presence>/ws/agent`. Agents never authenticate
 * with the presence service directly: the app (Forge) asks for a single-use ticket over
 * Forge Remote (FIT-verified) and the agent UI presents it in the first frame.
 * Agents *send* chat messages through the app (they become Jira comments as the agent);
 * the socket carries live state: messages, typing, seen, presence.
 */
import { z } from 'zod';
import { AgentPresence, AgentStatus, ChatMessage, CustomerPresence } from './model.js';
import { AccountId, ConversationId, IsoTime, ProjectKey } from './ids.js';
import { ErrorCode } from './customer-ws.js';
import { MAX_DISPLAY_NAME_CHARS } from './limits.js';

export const AgentClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), ticket: z.string().min(20).max(200) }),
  /** Live updates of one conversation (issue view panel). */
  z.object({ type: z.literal('watch'), conversationId: ConversationId }),
  z.object({ type: z.literal('unwatch'), conversationId: ConversationId }),
  /** Conversation activity of a whole project (chat dashboard). */
  z.object({ type: z.literal('watch.project'), projectKey: ProjectKey }),
  /** `name`: the agent's Jira display name, shown to the customer and colleagues; relayed, never stored. */
  z.object({
    type: z.literal('typing'),
    conversationId: ConversationId,
    on: z.boolean(),
    name: z.string().trim().min(1).max(MAX_DISPLAY_NAME_CHARS).optional(),
  }),
  z.object({ type: z.literal('seen'), conversationId: ConversationId, messageId: z.string().min(1).max(64) }),
  z.object({ type: z.literal('status.set'), projectKey: ProjectKey, status: AgentStatus }),
  z.object({ type: z.literal('ping') }),
]);
export type AgentClientFrame = z.infer<typeof AgentClientFrame>;

export const ConversationActivity = z.object({
  projectKey: ProjectKey,
  conversationId: ConversationId,
  kind: z.enum(['new', 'customer_message', 'agent_message', 'closed', 'assigned', 'reopened', 'joined']),
  at: IsoTime,
  /** Display name of the customer (never message text). */
  customerName: z.string().nullable().optional(),
  assignee: z.string().nullable().optional(),
  /** Added later (issue 15), optional: who took the chat (`assigned`); automatic assignment frees the slot it held for someone else. */
  assigneeAccountId: AccountId.optional(),
});
export type ConversationActivity = z.infer<typeof ConversationActivity>;

export const AgentServerFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('auth.ok'),
    accountId: z.string(),
    projects: z.array(ProjectKey),
    /** Bearer token for this agent's HTTP calls (attachment upload), valid while the socket lives. */
    httpToken: z.string(),
  }),
  /**
   * The answer to `watch` (`watching`) and to `watch.project` (`watching.project`), sent once the socket
   * listens: every frame published after it reaches the socket, so a page reads history from the app
   * after it, not before (a message published in between would be in neither).
   */
  z.object({ type: z.literal('watching'), conversationId: ConversationId }),
  z.object({ type: z.literal('watching.project'), projectKey: ProjectKey }),
  z.object({ type: z.literal('message'), message: ChatMessage }),
  z.object({ type: z.literal('typing'), conversationId: ConversationId, on: z.boolean(), who: z.enum(['customer', 'agent']), name: z.string().optional() }),
  z.object({ type: z.literal('seen'), conversationId: ConversationId, messageId: z.string(), by: z.enum(['customer', 'agent']) }),
  z.object({ type: z.literal('customer.presence'), conversationId: ConversationId, presence: CustomerPresence }),
  z.object({ type: z.literal('conversation.activity'), activity: ConversationActivity }),
  z.object({ type: z.literal('agents.presence'), projectKey: ProjectKey, agents: z.array(AgentPresence) }),
  z.object({ type: z.literal('pong') }),
  z.object({ type: z.literal('error'), code: ErrorCode, message: z.string(), ref: z.string().optional() }),
]);
export type AgentServerFrame = z.infer<typeof AgentServerFrame>;
