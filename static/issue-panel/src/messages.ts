import type { ChatMessage } from '../../../src/protocol/model.js';

/**
 * Messages arrive from three places (panel.load/history, chat.send's answer, the socket)
 * and may overlap: ui-kit/merge.ts merges them by comment id (or clientMsgId) in time order.
 */
export { mergeMessages } from '../../ui-kit/merge.js';

/** A message the agent sent that the app has not confirmed yet. */
export interface Pending {
  clientMsgId: string;
  text: string;
  fileName?: string;
  state: 'sending' | 'failed';
  /** When the agent sent it (local clock): a failed one keeps its place among later messages. */
  at?: string;
  error?: string;
  retry: () => void;
}

export function withoutConfirmed(pending: readonly Pending[], messages: readonly ChatMessage[]): Pending[] {
  const confirmed = new Set(messages.map((m) => m.clientMsgId).filter(Boolean));
  return pending.filter((p) => !confirmed.has(p.clientMsgId));
}

/** The newest message by the customer, which the agent marks "seen". */
export function lastCustomerMessageId(messages: readonly ChatMessage[]): string | null {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.author.kind === 'customer') return messages[i]!.id;
  return null;
}

/** Index of the last agent message the customer has seen (seen marks apply up to it). */
export function seenIndex(messages: readonly ChatMessage[], seenId: string | null): number {
  if (!seenId) return -1;
  const i = messages.findIndex((m) => m.id === seenId);
  if (i < 0) return -1;
  for (let j = i; j >= 0; j--) if (messages[j]!.author.kind === 'agent') return j;
  return -1;
}

export type ListItem = { kind: 'message'; message: ChatMessage; index: number } | { kind: 'pending'; pending: Pending };

/**
 * Confirmed messages in order, each failed one placed by when it was sent (issue 11: a
 * failed file sat below messages sent after it), the ones still sending last.
 */
export function listItems(messages: readonly ChatMessage[], pending: readonly Pending[]): ListItem[] {
  const out: ListItem[] = messages.map((message, index) => ({ kind: 'message', message, index }));
  for (const p of pending.filter((x) => x.state === 'failed' && x.at)) {
    const at = p.at!;
    const i = out.findIndex((item) => item.kind === 'message' && item.message.at > at);
    out.splice(i < 0 ? out.length : i, 0, { kind: 'pending', pending: p });
  }
  for (const p of pending.filter((x) => !(x.state === 'failed' && x.at))) out.push({ kind: 'pending', pending: p });
  return out;
}
