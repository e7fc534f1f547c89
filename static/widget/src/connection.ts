import type { CustomerClientFrame, CustomerServerFrame } from '../../../src/protocol/customer-ws.js';
import { HEARTBEAT_INTERVAL_MS, MAX_FRAME_BYTES } from '../../../src/protocol/limits.js';
import { backoffDelay } from '../../ui-kit/backoff.js';
import { sessionRequestId } from './ids.js';

/**
 * Reconnect delays are fully jittered (ui-kit/backoff.ts) and capped low, so a restarted or
 * redeployed service has its widgets back within seconds while thousands of them spread out.
 */
export const WIDGET_RECONNECT_CAP_MS = 8_000;

/** How long past a heartbeat interval we wait for any frame (our pong) before calling the socket dead. */
export const PONG_GRACE_MS = 10_000;

export interface ConnectionHandlers {
  /** The socket is open: send `auth` now. */
  open(): void;
  frame(frame: CustomerServerFrame): void;
  closed(): void;
}

/**
 * One WebSocket that comes back by itself: exponential backoff with full jitter, reset
 * only after a successful auth (so a service that accepts and then rejects us still backs off).
 */
export class Connection {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = true;
  private lastHeard = 0;

  constructor(
    private readonly url: string,
    private readonly on: ConnectionHandlers,
  ) {}

  start(): void {
    this.stopped = false;
    if (!this.ws) this.connect();
  }

  /** Drop the socket and connect again at once (new identity, or a hint that the network is back). */
  restart(): void {
    this.teardown();
    this.stopped = false;
    this.attempt = 0;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.teardown();
  }

  healthy(): void {
    this.attempt = 0;
  }

  isOpen(): boolean {
    return this.ws?.readyState === 1;
  }

  /** Nudge: if we are waiting to retry, retry now. */
  wake(): void {
    if (!this.stopped && !this.ws) {
      clearTimeout(this.retryTimer);
      this.connect();
    }
  }

  send(frame: CustomerClientFrame): boolean {
    const data = JSON.stringify(frame);
    if (!this.isOpen() || data.length > MAX_FRAME_BYTES) return false;
    this.ws!.send(data);
    return true;
  }

  private connect(): void {
    clearTimeout(this.retryTimer);
    let ws: WebSocket;
    try {
      ws = new WebSocket(`${this.url}${this.url.includes('?') ? '&' : '?'}rid=${sessionRequestId}`);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.lastHeard = Date.now();
      this.on.open();
      // Application-level ping keeps proxies from idling the socket out; a socket that has not
      // answered since the previous ping is dead even if the browser has not noticed yet.
      this.pingTimer = setInterval(() => {
        if (Date.now() - this.lastHeard > HEARTBEAT_INTERVAL_MS + PONG_GRACE_MS) return this.dropDead(ws);
        this.send({ type: 'ping' });
      }, HEARTBEAT_INTERVAL_MS);
    };
    ws.onmessage = (e) => {
      this.lastHeard = Date.now();
      let frame: CustomerServerFrame;
      try {
        frame = JSON.parse(String(e.data));
      } catch {
        return;
      }
      if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
      try {
        this.on.frame(frame);
      } catch {
        // A frame of an unexpected shape is dropped; never log its content (it may hold message text).
        console.warn('[JsmChat] ignored a malformed frame of type', frame.type.slice(0, 40));
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.teardown();
      this.on.closed();
      this.scheduleRetry();
    };
  }

  private dropDead(ws: WebSocket): void {
    if (this.ws !== ws) return;
    this.teardown();
    this.on.closed();
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => this.connect(), backoffDelay(this.attempt++, WIDGET_RECONNECT_CAP_MS));
  }

  private teardown(): void {
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      try {
        ws.close();
      } catch {
        /* already closing */
      }
    }
  }
}
