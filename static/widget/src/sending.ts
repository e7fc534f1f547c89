import type { Prechat } from '../../../src/protocol/customer-ws.js';
import { Outbox } from './outbox.js';
import type { Core } from './state.js';
import type { Store } from './storage.js';

/** No ack within this time while connected: the message is shown as failed, with Retry. */
export const ACK_TIMEOUT_MS = 20_000;

/**
 * The outbox on the wire: one message in flight at a time, so order is kept even if the
 * service handles frames concurrently. An ack, a refusal or ACK_TIMEOUT_MS settles it.
 */
export class Sender {
  outbox: Outbox;
  /** The pre-chat answers: they go with whichever message starts the conversation. */
  prechat: Prechat = {};
  private inflight: string | null = null;
  private ackTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly core: Core,
    private readonly store: Store,
  ) {
    this.outbox = new Outbox(store);
  }

  /** This tab leads now: the outbox as the previous leader left it in localStorage. */
  reload(): void {
    this.outbox = new Outbox(this.store);
  }

  pump(): void {
    const { core } = this;
    if (!core.authed || this.inflight) return;
    const item = this.outbox.peek();
    if (!item) return;
    const conversationId = core.state.conversationId;
    let sent: boolean;
    if (item.kind === 'start' || !conversationId) {
      const text = item.kind === 'file' ? item.attachment.name : item.text;
      const start = item.kind === 'start' ? item : { prechat: this.prechat, offline: false };
      sent = core.conn.send({ type: 'conversation.start', clientMsgId: item.clientMsgId, text, prechat: start.prechat, offline: start.offline });
    } else if (item.kind === 'text') {
      sent = core.conn.send({ type: 'message.send', conversationId, clientMsgId: item.clientMsgId, text: item.text });
    } else {
      sent = core.conn.send({ type: 'attachment.send', conversationId, clientMsgId: item.clientMsgId, attachmentId: item.attachment.id });
    }
    if (!sent) return;
    const id = (this.inflight = item.clientMsgId);
    this.ackTimer = setTimeout(() => this.inflight === id && this.fail(id, true), ACK_TIMEOUT_MS);
  }

  settle(clientMsgId: string): void {
    if (this.inflight === clientMsgId) this.reset();
  }

  /** The message in flight is this one (an error frame's `ref`). */
  isInflight(clientMsgId: string): boolean {
    return clientMsgId === this.inflight;
  }

  /** The service refused it or never answered: out of the outbox, shown failed, the next one goes. */
  fail(clientMsgId: string, retryable: boolean): void {
    this.settle(clientMsgId);
    this.outbox.remove(clientMsgId);
    this.core.updateMessage(clientMsgId, { delivery: 'failed', retryable });
    this.pump();
  }

  /** Nothing is in flight (settled, or the socket closed: the outbox resends after the next auth). */
  reset(): void {
    this.inflight = null;
    clearTimeout(this.ackTimer);
  }

  hasPendingStart(): boolean {
    return this.outbox.all().some((i) => i.kind === 'start');
  }
}
