/**
 * Conversation activity for dashboards (Forge Remote `conversation-activity`): who was
 * assigned, a chat closed, an agent answered. Names only, never message text.
 */
import { projectKeyOf } from '../../protocol/ids.js';
import type { ConversationActivity } from '../../protocol/agent-ws.js';
import { remote } from './remote.js';

export async function announce(
  conversationId: string,
  kind: ConversationActivity['kind'],
  opts: { at?: string; assignee?: string | null; assigneeAccountId?: string; status?: 'open' | 'closed' } = {},
): Promise<void> {
  await remote('conversation-activity', {
    activity: {
      projectKey: projectKeyOf(conversationId),
      conversationId,
      kind,
      at: opts.at ?? new Date().toISOString(),
      ...(opts.assignee !== undefined ? { assignee: opts.assignee } : {}),
      ...(opts.assigneeAccountId ? { assigneeAccountId: opts.assigneeAccountId } : {}),
    },
    ...(opts.status ? { status: opts.status } : {}),
  });
}

/** For announcements that must not fail the user's action (the Jira write already happened). */
export async function announceQuietly(...args: Parameters<typeof announce>): Promise<void> {
  await announce(...args).catch(() => undefined);
}
