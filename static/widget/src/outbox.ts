import type { AttachmentRef } from '../../../src/protocol/model.js';
import type { Prechat } from '../../../src/protocol/customer-ws.js';
import type { Store } from './storage.js';

/** What the visitor asked to send, kept until the service acknowledges it. */
export type OutboxItem =
  | { kind: 'start'; clientMsgId: string; text: string; prechat: Prechat; offline: boolean; at: string }
  | { kind: 'text'; clientMsgId: string; text: string; at: string }
  | { kind: 'file'; clientMsgId: string; attachment: AttachmentRef; at: string };

const KEY = 'outbox';

/**
 * Persistent FIFO: survives reloads, so a message typed while offline is sent once
 * the widget is back, with the same clientMsgId (the service dedupes on it).
 */
export class Outbox {
  private items: OutboxItem[];
  constructor(private readonly store: Store) {
    const saved = store.get<OutboxItem[]>(KEY);
    this.items = Array.isArray(saved) ? saved.filter((i) => i && typeof i.clientMsgId === 'string') : [];
  }
  all(): readonly OutboxItem[] {
    return this.items;
  }
  peek(): OutboxItem | undefined {
    return this.items[0];
  }
  has(clientMsgId: string): boolean {
    return this.items.some((i) => i.clientMsgId === clientMsgId);
  }
  push(item: OutboxItem): void {
    if (this.has(item.clientMsgId)) return;
    this.items.push(item);
    this.save();
  }
  remove(clientMsgId: string): OutboxItem | undefined {
    const item = this.items.find((i) => i.clientMsgId === clientMsgId);
    this.items = this.items.filter((i) => i.clientMsgId !== clientMsgId);
    this.save();
    return item;
  }
  clear(): void {
    this.items = [];
    this.save();
  }
  private save(): void {
    if (this.items.length) this.store.set(KEY, this.items);
    else this.store.remove(KEY);
  }
}
