/** Canned resolver answers for the issue panel tests (valid per src/protocol/resolvers.ts; the harness checks). */
import type { ChatMessage } from '../../src/protocol/model.js';
import type { ResolverResponse } from '../../src/protocol/resolvers.js';

export const ISSUE = 'SUP-12';
export const context = {
  accountId: 'agent-1',
  locale: 'en-US',
  extension: { type: 'jira:issueContext', issue: { key: ISSUE, id: '10012', type: 'Chat' }, project: { key: 'SUP', id: '10000', type: 'service_desk' } },
};

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

export function message(
  id: string,
  kind: 'customer' | 'agent' | 'system',
  text: string,
  at = new Date().toISOString(),
  extra: Partial<ChatMessage> = {},
): ChatMessage {
  const author =
    kind === 'customer'
      ? { kind, accountId: 'cust-1', name: 'Ada Lovelace' }
      : kind === 'agent'
        ? { kind, accountId: 'agent-1', name: 'Grace Hopper' }
        : { kind, name: 'Chat' };
  return { id, conversationId: ISSUE, author, text, at, ...extra };
}

export function panelLoad(overrides: Partial<ResolverResponse<'panel.load'>> = {}): ResolverResponse<'panel.load'> {
  return {
    isChat: true,
    conversation: {
      id: ISSUE,
      status: 'open',
      channel: 'web',
      started: minutesAgo(30),
      customer: { accountId: 'cust-1', name: 'Ada Lovelace', email: 'ada@example.com' },
      whatsapp: null,
      assignee: null,
    },
    messages: [
      message('10001', 'system', 'Chat started from example.com', minutesAgo(30)),
      message('10002', 'customer', 'Hi, my invoice is wrong.', minutesAgo(29)),
      message('10003', 'agent', 'Hello Ada! Let me check that for you.', minutesAgo(28)),
      message('10004', 'customer', 'Thanks. It is number 4711.\nThe amount is twice what I expected.', minutesAgo(27)),
    ],
    hasMore: true,
    customerPresence: { online: true, lastSeen: minutesAgo(0) },
    me: { accountId: 'agent-1', name: 'Grace Hopper', status: 'online' },
    ...overrides,
  };
}
