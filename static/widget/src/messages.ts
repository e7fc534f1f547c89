import type { AttachmentRef, ChatMessage } from '../../../src/protocol/model.js';
import { mergeMessages } from '../../ui-kit/merge.js';
import type { OutboxItem } from './outbox.js';

export type Delivery = 'sending' | 'sent' | 'seen' | 'failed';

/** A message as the widget shows it: confirmed ones have `id`, our own pending ones only `clientMsgId`. */
export interface ViewMessage {
  key: string;
  id?: string;
  clientMsgId?: string;
  kind: 'customer' | 'agent' | 'system';
  name: string;
  text: string;
  at: string;
  attachment?: AttachmentRef;
  /** Only for the visitor's own messages. */
  delivery?: Delivery;
  retryable?: boolean;
  /** Upload progress 0..1 while a file is on its way to the service. */
  progress?: number;
  /** Why an upload failed, when it did. */
  error?: 'too_large' | 'unsupported_type' | 'upload';
}

export function fromChat(m: ChatMessage): ViewMessage {
  const v: ViewMessage = { key: m.clientMsgId ?? m.id, id: m.id, kind: m.author.kind, name: m.author.name, text: m.text, at: m.at };
  if (m.clientMsgId) v.clientMsgId = m.clientMsgId;
  if (m.attachment) v.attachment = m.attachment;
  if (m.author.kind === 'customer') v.delivery = 'sent';
  return v;
}

/**
 * Merge server messages into the list (ui-kit/merge.ts): a known id or clientMsgId updates
 * in place; confirmed messages are ordered by time, pending ones stay last in the order they
 * were typed. A failed one keeps its place in time (issue 11: a failed file jumped around
 * later messages once they were confirmed), with its Retry where it was sent.
 */
export function mergeView(list: readonly ViewMessage[], incoming: readonly ViewMessage[]): ViewMessage[] {
  return mergeMessages(
    list,
    incoming,
    // "seen" is learnt from a separate frame; a replayed copy must not downgrade it.
    (old, m) => ({ ...old, ...m, key: old.key, delivery: old.delivery === 'seen' ? 'seen' : m.delivery, progress: undefined, retryable: undefined }),
    (m) => !!m.id || m.delivery === 'failed',
  );
}

/** Everything the visitor sent up to and including `messageId` has been seen. */
export function markSeen(list: readonly ViewMessage[], messageId: string): ViewMessage[] {
  const idx = list.findIndex((m) => m.id === messageId);
  const until = idx < 0 ? list.length - 1 : idx;
  return list.map((m, i) => (i <= until && m.kind === 'customer' && m.delivery === 'sent' ? { ...m, delivery: 'seen' } : m));
}

/** The visitor's own message as shown while it waits in the outbox. */
export function pendingView(item: OutboxItem): ViewMessage {
  const v: ViewMessage = { key: item.clientMsgId, clientMsgId: item.clientMsgId, kind: 'customer', name: '', text: '', at: item.at, delivery: 'sending' };
  if (item.kind === 'file') v.attachment = item.attachment;
  else v.text = item.text;
  return v;
}
