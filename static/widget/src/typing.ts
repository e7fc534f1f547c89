import type { CustomerServerFrame } from '../../../src/protocol/customer-ws.js';
import type { Core } from './state.js';

/** A lost "typing off" frame must not leave the indicator on forever. */
export const TYPING_TTL_MS = 8_000;
/** We tell the agent we stopped typing after this pause. */
export const TYPING_IDLE_MS = 3_000;

/** Typing both ways: the visitor's (one "on" frame, "off" after a pause or on send) and the agent's indicator. */
export class Typing {
  private sent = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private agentTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly core: Core) {}

  /** The visitor typed. */
  local(): void {
    const { core } = this;
    const conversationId = core.state.conversationId;
    if (!conversationId || !core.authed) return;
    if (!this.sent) this.sent = core.conn.send({ type: 'typing', conversationId, on: true });
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  stop(): void {
    clearTimeout(this.idleTimer);
    const conversationId = this.core.state.conversationId;
    if (this.sent && conversationId) this.core.conn.send({ type: 'typing', conversationId, on: false });
    this.sent = false;
  }

  /** The socket closed: the service forgot our "on". */
  reset(): void {
    this.sent = false;
  }

  /** The agent's `typing` frame. */
  agent(f: Extract<CustomerServerFrame, { type: 'typing' }>): void {
    const { core } = this;
    if (f.conversationId !== core.state.conversationId) return;
    clearTimeout(this.agentTimer);
    if (f.on) this.agentTimer = setTimeout(() => core.set({ typing: null }), TYPING_TTL_MS);
    core.set({ typing: f.on ? f.name || '' : null });
  }
}
