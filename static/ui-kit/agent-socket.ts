/**
 * The agent's live connection to the presence service. The socket only carries live
 * state; history always comes from the app (panel.load), so whenever the socket listens
 * again the page re-fetches (onListening) instead of trusting that nothing was missed.
 */
import type { AgentClientFrame, AgentServerFrame } from '../../src/protocol/agent-ws.js';
import { HEARTBEAT_INTERVAL_MS, REAP_AFTER_MS } from '../../src/protocol/limits.js';
import { AGENT_RECONNECT_CAP_MS, AGENT_RECONNECT_FIXED, WATCH_ANSWER_WAIT_MS, backoffDelay } from './backoff.js';
import { agentTicket } from './presence-remote.js';

export type SocketState = 'connecting' | 'open' | 'closed';

export interface AgentSocketOptions {
  projectKey?: string;
  /** Frames to send after every successful auth (watch, watch.project). */
  subscriptions: () => AgentClientFrame[];
  onFrame: (frame: AgentServerFrame) => void;
  /** `open` once the socket listens (every subscription answered), not merely once it is authenticated. */
  onState?: (state: SocketState) => void;
  /**
   * Called after every successful auth, once the service answered every subscription: whatever is
   * published from now on arrives, so this is when to read what may have been missed (reading
   * earlier leaves a gap: a message published between the read and the listening is in neither).
   */
  onListening?: () => void;
}

type AuthOk = Extract<AgentServerFrame, { type: 'auth.ok' }>;

export class AgentSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private session: { origin: string; auth: AuthOk } | null = null;
  private lastHeard = 0;
  private waiting = false;
  /** Subscriptions the service has not answered yet on this socket; null once it listens. */
  private unanswered: Set<string> | null = null;
  private answerTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly wake = () => {
    if (this.stopped || !this.waiting || (typeof document !== 'undefined' && document.visibilityState === 'hidden')) return;
    clearTimeout(this.retryTimer);
    this.waiting = false;
    void this.connect();
  };

  constructor(private readonly opts: AgentSocketOptions) {}

  start(): void {
    this.stopped = false;
    // The network or the tab coming back is the best moment to try again, not the next backoff tick.
    addEventListener('online', this.wake);
    document.addEventListener('visibilitychange', this.wake);
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    removeEventListener('online', this.wake);
    document.removeEventListener('visibilitychange', this.wake);
    clearTimeout(this.retryTimer);
    clearTimeout(this.answerTimer);
    clearInterval(this.pingTimer);
    this.ws?.close(1000);
    this.ws = null;
  }

  /** Sends now if authenticated; live-only frames (typing, seen) are dropped otherwise. */
  send(frame: AgentClientFrame): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || !this.session) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** Presence service origin and the HTTP bearer token, once authenticated. */
  get http(): { origin: string; token: string } | null {
    return this.session ? { origin: this.session.origin, token: this.session.auth.httpToken } : null;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.opts.onState?.('connecting');
    let ticket: { ticket: string; url: string };
    try {
      // a ticket is single use: every attempt asks for a fresh one
      ticket = await agentTicket(this.opts.projectKey);
    } catch {
      this.scheduleRetry();
      return;
    }
    if (this.stopped) return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(ticket.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', ticket: ticket.ticket } satisfies AgentClientFrame));
    ws.onmessage = (ev) => {
      this.lastHeard = Date.now();
      this.receive(ws, ticket.url, ev.data);
    };
    ws.onclose = () => this.drop(ws);
  }

  /** This socket is done (closed, or silent too long): forget it and try again. */
  private drop(ws: WebSocket): void {
    if (this.ws !== ws) return;
    this.ws = null;
    this.session = null;
    this.unanswered = null;
    clearTimeout(this.answerTimer);
    clearInterval(this.pingTimer);
    // a half-open TCP connection (a server gone without a FIN) may take minutes to report close
    ws.onclose = null;
    ws.onmessage = null;
    try {
      ws.close();
    } catch {
      // already closing
    }
    this.scheduleRetry();
  }

  private receive(ws: WebSocket, url: string, data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: AgentServerFrame;
    try {
      frame = JSON.parse(data) as AgentServerFrame;
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
    if (frame.type === 'auth.ok') {
      this.session = { origin: httpOrigin(url), auth: frame };
      this.attempt = 0;
      const subscriptions = this.opts.subscriptions();
      this.unanswered = new Set(subscriptions.map(answerKey).filter((k) => k !== null));
      for (const f of subscriptions) ws.send(JSON.stringify(f));
      clearInterval(this.pingTimer);
      // The service answers every ping; nothing heard for as long as it would reap us means the connection is dead.
      this.pingTimer = setInterval(() => {
        if (Date.now() - this.lastHeard > REAP_AFTER_MS) this.drop(ws);
        else this.send({ type: 'ping' });
      }, HEARTBEAT_INTERVAL_MS);
      clearTimeout(this.answerTimer);
      if (this.unanswered.size === 0) this.listening();
      else this.answerTimer = setTimeout(() => this.listening(), WATCH_ANSWER_WAIT_MS);
    } else if (this.unanswered && (frame.type === 'watching' || frame.type === 'watching.project')) {
      this.unanswered.delete(answerKey(frame) ?? '');
      if (this.unanswered.size === 0) this.listening();
    }
    this.opts.onFrame(frame);
  }

  private listening(): void {
    if (!this.unanswered) return;
    this.unanswered = null;
    clearTimeout(this.answerTimer);
    this.opts.onState?.('open');
    this.opts.onListening?.();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.opts.onState?.('closed');
    clearTimeout(this.retryTimer);
    this.waiting = true;
    this.retryTimer = setTimeout(
      () => {
        this.waiting = false;
        void this.connect();
      },
      backoffDelay(this.attempt++, AGENT_RECONNECT_CAP_MS, AGENT_RECONNECT_FIXED),
    );
  }
}

/** Pairs a subscription with its answer: `watch` with `watching`, `watch.project` with `watching.project`. */
function answerKey(f: AgentClientFrame | AgentServerFrame): string | null {
  if (f.type === 'watch' || f.type === 'watching') return `conversation:${f.conversationId}`;
  if (f.type === 'watch.project' || f.type === 'watching.project') return `project:${f.projectKey}`;
  return null;
}

/** wss://host/ws/agent -> https://host (where /v1/attachments lives). */
export function httpOrigin(wsUrl: string): string {
  const u = new URL(wsUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  return u.origin;
}
