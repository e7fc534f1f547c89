/** "<agent> joined the chat": the live notice when a chat gets its agent (taken by hand or assigned automatically). */
import type { ChatMessage } from '../../protocol/model.js';
import { announceQuietly } from './activity.js';
import { relayQuietly } from './relay.js';

/** Text of the notice customers and agents see when an agent joins a chat. */
export const joinedText = (name: string): string => `${name} joined the chat`;

/**
 * Tells the customer (widget, as a system line) and the agents (panel and dashboard) that an
 * agent joined. Live only, not a Jira comment: JSM would email it to the customer as a reply.
 */
export async function announceJoined(issueKey: string, agent: { name: string }): Promise<void> {
  const at = new Date().toISOString();
  const notice: ChatMessage = {
    id: `sys-joined-${Date.parse(at).toString(36)}`,
    conversationId: issueKey,
    author: { kind: 'system', name: agent.name },
    text: joinedText(agent.name),
    at,
  };
  await Promise.all([relayQuietly(issueKey, notice), announceQuietly(issueKey, 'joined', { at, assignee: agent.name })]);
}
