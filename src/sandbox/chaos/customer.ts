/**
 * A customer for chaos tests, speaking the widget's protocol and keeping the widget's
 * promises: every message is sent until acknowledged, with the same clientMsgId on every
 * attempt (the app answers a repeat with its first answer), one at a time so the order
 * holds, across reconnects (any close) with jittered backoff, re-authenticating with the
 * visitor token. Bounded: gives up at its deadline and reports what it could not send.
 *
 * It also reads what agents write, as the widget does: live `message` frames, and after
 * every reconnect a `history` of its conversation (what was written while it was away).
 * Each agent reply is counted once, by how it first arrived: live or on resume.
 */
import WebSocket from 'ws';

const ATTEMPT_TIMEOUT_MS = 10_000;
const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 2_000;

export interface CustomerReport {
  conversationId: string | null;
  sent: string[];
  acked: string[];
  reconnects: number;
  /** Close of a socket → auth.ok on the next one, per reconnect. */
  resumeMs: number[];
  errors: Record<string, number>;
  /** Agent replies by text: how each first reached this customer. */
  replies: Map<string, 'live' | 'resume'>;
  /** Agent replies that arrived live more than once (the widget would show them once, by id). */
  repeatedLive: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const backoff = (attempt: number) => Math.floor(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));

export class ChaosCustomer {
  private ws: WebSocket | null = null;
  private token: string | null = null;
  private frames: ((f: Record<string, unknown>) => void) | null = null;
  private closedAt: number | null = null;
  readonly report: CustomerReport = { conversationId: null, sent: [], acked: [], reconnects: 0, resumeMs: [], errors: {}, replies: new Map(), repeatedLive: 0 };
  private readonly liveIds = new Set<string>();
  private markStarted!: (conversationId: string) => void;
  /** Resolves with the conversation id once the first message is acknowledged. */
  readonly started = new Promise<string>((r) => (this.markStarted = r));

  constructor(
    private readonly wsUrl: string,
    private readonly origin: string,
    private readonly widgetId: string,
    private readonly name: string,
    /** Told after every acknowledged message (the test starts its chaos on progress, not on a timer). */
    private readonly onAck: () => void = () => {},
  ) {}

  /** Sends `texts` in order, each until acknowledged, pausing `paceMs` between them; stops at `deadline`. */
  /**
   * `hold` pauses the customer after its first message (the conversation exists) until it
   * resolves: an agent's page can open on the conversation before the rest is written.
   */
  async run(texts: readonly string[], paceMs: number, deadline: number, opts: { replies?: () => number; hold?: Promise<void> } = {}): Promise<CustomerReport> {
    const expectedReplies = opts.replies ?? (() => 0);
    for (const [i, text] of texts.entries()) {
      // Fixed width: `x-1` padded must never equal `x-10` (the app would take one for a repeat of the other).
      const clientMsgId = `${this.name.replace(/[^A-Za-z0-9_-]/g, '-')}-m${String(i).padStart(4, '0')}`;
      this.report.sent.push(text);
      if (!(await this.deliver(clientMsgId, text, deadline))) break;
      this.report.acked.push(text);
      this.onAck();
      if (i === 0) {
        this.markStarted(this.report.conversationId!);
        await opts.hold;
      }
      await sleep(paceMs);
    }
    // Stay (reconnecting as the widget would) until every reply the agent wrote has arrived.
    while (Date.now() < deadline && this.report.replies.size < expectedReplies()) {
      try {
        await this.ensureConnected(deadline);
      } catch {
        break;
      }
      await sleep(paceMs);
    }
    const ws = this.ws;
    this.ws = null; // our own close is not a drop
    ws?.close();
    return this.report;
  }

  private async deliver(clientMsgId: string, text: string, deadline: number): Promise<boolean> {
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      if (attempt > 0) await sleep(backoff(Math.min(attempt, 6)));
      try {
        await this.ensureConnected(deadline);
        const frame = this.report.conversationId
          ? { type: 'message.send', conversationId: this.report.conversationId, clientMsgId, text }
          : { type: 'conversation.start', clientMsgId, text, prechat: { name: this.name, email: `${this.name.toLowerCase()}@example.com` } };
        const answer = await this.exchange(
          frame,
          (f) => (f.type === 'message.ack' || f.type === 'message.failed' || f.type === 'error') && (f.clientMsgId === clientMsgId || f.ref === clientMsgId),
        );
        if (answer.type === 'message.ack') {
          this.report.conversationId ??= String(answer.conversationId);
          return true;
        }
        const code = String(answer.code);
        this.report.errors[code] = (this.report.errors[code] ?? 0) + 1;
        // The widget stops at a refusal (forbidden, invalid); only a retryable failure is sent again.
        if (answer.retryable === false) return false;
      } catch {
        // closed or timed out: reconnect and send again
      }
    }
    return false;
  }

  private async ensureConnected(deadline: number): Promise<void> {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) return;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      if (attempt > 0) await sleep(backoff(Math.min(attempt, 6)));
      try {
        await this.open();
        const ok = await this.exchange(
          { type: 'auth', widgetId: this.widgetId, ...(this.token ? { token: this.token } : {}) },
          (f) => f.type === 'auth.ok' || f.type === 'error',
        );
        if (ok.type !== 'auth.ok') throw new Error(`auth refused: ${String(ok.code)}`);
        this.token = String(ok.token);
        if (this.closedAt !== null) {
          this.report.resumeMs.push(Date.now() - this.closedAt);
          this.closedAt = null;
        }
        // As the widget does on every auth.ok: the conversation's newest page, for what came while away.
        if (this.report.conversationId) this.ws?.send(JSON.stringify({ type: 'history', conversationId: this.report.conversationId }));
        return;
      } catch {
        this.ws?.terminate();
        this.ws = null;
      }
    }
    throw new Error('deadline');
  }

  private open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${this.wsUrl}/ws/customer`, { headers: { origin: this.origin } });
      ws.on('message', (data) => {
        let f: Record<string, unknown>;
        try {
          f = JSON.parse(String(data)) as Record<string, unknown>;
        } catch {
          return; // not JSON: ignore
        }
        this.read(f);
        this.frames?.(f);
      });
      ws.once('open', () => {
        this.ws = ws;
        resolve();
      });
      ws.once('error', reject);
      ws.once('close', () => {
        if (this.ws === ws) {
          this.ws = null;
          this.report.reconnects++;
          this.closedAt ??= Date.now();
        }
        this.frames?.({ type: '__closed' });
        reject(new Error('closed'));
      });
    });
  }

  /** Counts agent replies, live or from a history page. */
  private read(f: Record<string, unknown>): void {
    type Msg = { id: string; text: string; author: { kind: string } };
    if (f.type === 'message') {
      const m = f.message as Msg;
      if (m.author.kind !== 'agent') return;
      if (this.liveIds.has(m.id)) this.report.repeatedLive++;
      this.liveIds.add(m.id);
      if (!this.report.replies.has(m.text)) this.report.replies.set(m.text, 'live');
    } else if (f.type === 'history' && f.conversationId === this.report.conversationId) {
      for (const m of f.messages as Msg[]) if (m.author.kind === 'agent' && !this.report.replies.has(m.text)) this.report.replies.set(m.text, 'resume');
    }
  }

  private exchange(frame: object, match: (f: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error('timeout')), ATTEMPT_TIMEOUT_MS);
      const done = (err: Error | null, f?: Record<string, unknown>) => {
        clearTimeout(timer);
        this.frames = null;
        if (err) reject(err);
        else resolve(f!);
      };
      this.frames = (f) => {
        if (f.type === '__closed') return done(new Error('closed'));
        if (match(f)) done(null, f);
      };
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return done(new Error('not open'));
      this.ws.send(JSON.stringify(frame));
    });
  }
}
