/**
 * What every socket session shares: sending frames, the auth deadline, per-socket rate
 * limiting, frame parsing and the close codes. A failure here only ever affects this
 * one socket.
 *
 * Memory per socket matters (tens of thousands of idle visitors per instance): the ws
 * events go to shared module-level handlers that find the session through one property
 * on the socket, instead of four closures per socket; what all sockets of one kind share
 * (limits, logger, schema, the service's hooks) is one `ConnectionKind` object they point
 * to; the service's own bookkeeping runs from these handlers too, not as second listeners
 * (a second listener turns the socket's listener slot into an array); the rate-limit
 * bucket is two numbers on the session; settled promises are shared constants.
 * @see https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1 (close codes)
 */
import { randomBytes } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import type { z } from 'zod';
import type { ErrorCode } from '../../protocol/customer-ws.js';
import type { ServiceLimits } from '../limits.js';
import type { Logger } from '../log.js';
import { CLOSE_POLICY, toServiceError } from '../errors.js';
import { parseFrame } from './frames.js';
import type { Beating, BeatBatch } from './heartbeat.js';

export const CLOSE_UNSUPPORTED = 1003;
// Chosen per error code in errors.ts; named here with the other close codes.
export { CLOSE_INTERNAL, CLOSE_POLICY } from '../errors.js';
export const CLOSE_GOING_AWAY = 1001;
/** Service restart (RFC 6455 registry): this instance drains; reconnect, the balancer picks another. */
export const CLOSE_SERVICE_RESTART = 1012;

const SETTLED: Promise<void> = Promise.resolve();
const SESSION = Symbol('session');
type Tagged = WebSocket & { [SESSION]?: Connection<{ type: string }> };

function onWsMessage(this: Tagged, data: RawData, isBinary: boolean): void {
  const s = this[SESSION];
  if (!s) return;
  s.kind.hooks.frameIn(s.kind.role);
  s.received(data, isBinary);
}
function onWsClose(this: Tagged): void {
  const s = this[SESSION];
  if (!s) return;
  s.shutdown();
  s.kind.hooks.closed(s);
}
function onWsError(this: Tagged, err: Error): void {
  this[SESSION]?.log.debug('ws.error', { err });
}
function onWsPong(this: Tagged): void {
  const s = this[SESSION];
  if (s) s.lastHeard = s.now();
}
function onAuthTimeout(s: Connection<{ type: string }>): void {
  s.fail('unauthenticated', 'authenticate within the first frame', CLOSE_POLICY);
}

/** What the service does for every socket (server.ts: metrics, socket counts, drain). */
export interface ConnectionHooks {
  frameIn(role: 'customer' | 'agent'): void;
  /** `n` frames sent (a fan-out sends one prepared frame to many sockets at once). */
  frameOut(role: 'customer' | 'agent', n: number): void;
  rateLimited(): void;
  /** After the socket closed and its cleanup started (`settled` resolves when it is done). */
  closed(conn: Connection<{ type: string }>): void;
}

/** Everything sockets of one kind share: one object per kind and service, not fields per socket. */
export interface ConnectionKind {
  readonly role: 'customer' | 'agent';
  readonly limits: ServiceLimits;
  readonly log: Logger;
  readonly now: () => number;
  readonly schema: z.ZodTypeAny;
  readonly types: ReadonlySet<string>;
  /** A quicker check of the kind's most common frame, agreeing with `schema` (frames.ts). */
  readonly fast?: (json: Record<string, unknown>) => { type: string } | null;
  readonly hooks: ConnectionHooks;
}

/**
 * A socket's id (store member ids, `except` on the bus): 128 random bits as one flat hex
 * string. (randomUUID() builds its string from 19 pieces that V8 keeps as a tree of
 * concatenations — 600 bytes per idle socket.)
 */
function socketId(): string {
  return randomBytes(16).toString('hex');
}

export abstract class Connection<Frame extends { type: string }> implements Beating {
  readonly id = socketId();
  lastHeard: number;
  protected closed = false;
  /** Token bucket: tokens left and when they were last counted. */
  private tokens: number;
  private tokensAt: number;
  private strikes = 0;
  private authTimer: NodeJS.Timeout | null;
  /** Settles when the auth frame was handled; later frames wait for it. */
  private authed: Promise<void> | null = null;
  /** Frames that write (messages) run one at a time, in order, so acks keep their order. */
  private queue: Promise<void> = SETTLED;
  /** Ordered frames queued or running: the last to finish puts back the settled `queue`. */
  private pending = 0;
  /** The client's request id (`rid`), when it sent a valid one; else the socket id stands in. */
  private rid: string | undefined;
  /** Made only when someone waits for it (a drain): most sockets never need one. */
  private settledPromise: Promise<void> | null = null;
  private settle: (() => void) | null = null;
  private cleanedUp = false;

  constructor(
    readonly ws: WebSocket,
    readonly kind: ConnectionKind,
    /** The client's address (per-IP socket count); IpLimits hands out one string per address. */
    readonly ip = '',
  ) {
    const { limits, now } = kind;
    this.lastHeard = now();
    this.tokens = limits.frameBurst;
    this.tokensAt = this.lastHeard;
    this.authTimer = setTimeout(onAuthTimeout, limits.authTimeoutMs, this);
    (ws as Tagged)[SESSION] = this as unknown as Connection<{ type: string }>;
    ws.on('message', onWsMessage);
    ws.on('close', onWsClose);
    ws.on('error', onWsError);
    ws.on('pong', onWsPong);
  }

  get role(): 'customer' | 'agent' {
    return this.kind.role;
  }
  /** Every line this socket's work logs carries its request id (request-id.ts). */
  get log(): Logger {
    return this.kind.log.child({ requestId: this.requestId });
  }
  get now(): () => number {
    return this.kind.now;
  }
  protected get limits(): ServiceLimits {
    return this.kind.limits;
  }

  /** Logged with, and sent to the webtrigger for, everything this socket causes (request-id.ts). */
  get requestId(): string {
    return this.rid ?? this.id;
  }
  set requestId(value: string) {
    this.rid = value;
  }

  /** Resolves once the socket closed and its cleanup (presence removal, the write in flight) finished. */
  get settled(): Promise<void> {
    if (this.cleanedUp) return SETTLED;
    return (this.settledPromise ??= new Promise<void>((resolve) => (this.settle = resolve)));
  }

  /** The site this socket belongs to, once authenticated. */
  abstract get installationId(): string | null;
  protected abstract get authenticated(): boolean;
  /** Frame types that must keep their order among themselves (the rest run as they come). */
  protected abstract readonly ordered: ReadonlySet<string>;
  protected abstract handle(frame: Frame): Promise<void> | void;
  protected abstract onClose(): Promise<void>;
  /** Heartbeat: add this socket's presence refreshes to the instance's batch. */
  abstract onBeat(batch: BeatBatch): void;
  abstract onReap(): void;

  send(frame: object): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.kind.hooks.frameOut(this.kind.role, 1);
    this.ws.send(JSON.stringify(frame));
  }

  error(code: ErrorCode, message: string, ref?: string): void {
    if (code === 'rate_limited') this.kind.hooks.rateLimited();
    this.send(ref ? { type: 'error', code, message, ref } : { type: 'error', code, message });
  }

  /** Error frame, then close. */
  fail(code: ErrorCode, message: string, closeCode = CLOSE_POLICY): void {
    this.error(code, message);
    this.close(closeCode, code);
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
  }

  /**
   * The store refused to let this socket listen where it must (Redis restarting or failing
   * over). An error frame would leave the client deaf (or reach no one, after an ack): the
   * socket is closed with 1012, so the client reconnects and catches up, as after a drain.
   */
  protected liveStateLost(err: unknown): void {
    this.log.warn(`${this.role}.live_state_lost`, { installationId: this.installationId ?? undefined, err });
    this.close(CLOSE_SERVICE_RESTART, 'live state lost, reconnect');
  }

  protected authDone(): void {
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = null;
  }

  private take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.limits.frameBurst, this.tokens + ((t - this.tokensAt) / 1000) * this.limits.framesPerSec);
    this.tokensAt = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** A frame arrived (shared ws handler). */
  received(data: RawData, isBinary: boolean): void {
    this.lastHeard = this.now();
    if (isBinary) return this.close(CLOSE_UNSUPPORTED, 'text frames only');
    if (!this.take()) {
      this.strikes += 1;
      if (this.strikes > this.limits.rateAbuseStrikes) return this.fail('rate_limited', 'too many frames', CLOSE_POLICY);
      return this.error('rate_limited', 'too many frames; slow down');
    }
    const { kind } = this;
    const parsed = parseFrame<z.ZodType<Frame>>(
      kind.schema as z.ZodType<Frame>,
      kind.types,
      data,
      kind.fast as ((json: Record<string, unknown>) => Frame | null) | undefined,
    );
    if (!parsed.ok) {
      if (!this.authenticated) return this.fail(parsed.code, parsed.message);
      return this.error(parsed.code, parsed.message, parsed.ref);
    }
    const frame = parsed.frame;
    if (!this.authed) {
      if (frame.type !== 'auth') return this.fail('unauthenticated', 'the first frame must be auth');
      const running = this.run(frame).then(() => {
        // Settled: later frames need not chain on this socket's own promise any more.
        if (this.authed === running) this.authed = SETTLED;
      });
      this.authed = running;
      return;
    }
    if (frame.type === 'auth') return this.error('bad_frame', 'already authenticated');
    // Frames sent right after auth wait for it; a slow app call does not hold up typing or pings.
    const authed = this.authed;
    if (this.ordered.has(frame.type)) {
      const idle = this.queue === SETTLED && authed === SETTLED;
      if (idle && !this.authenticated) return; // auth was refused: nothing runs
      this.pending += 1;
      // Nothing in front and auth done (a visitor's usual message): start it now, rather than
      // two promise hops later; the next ordered frame still chains behind it. The run itself
      // puts back the settled constant when the queue drains (no promise per frame for that).
      this.queue = idle ? this.run(frame, true) : this.queue.then(() => authed).then(() => this.run(frame, true));
    } else if (authed === SETTLED) {
      if (this.authenticated) void this.run(frame);
    } else void authed.then(() => (this.authenticated ? this.run(frame) : undefined));
  }

  /** `ordered`: one of the queue's frames (runs only once authenticated; counted in `pending`). */
  private async run(frame: Frame, ordered = false): Promise<void> {
    try {
      if (this.closed || (ordered && !this.authenticated)) return;
      await this.handle(frame);
    } catch (err) {
      const e = toServiceError(err);
      if (e.code === 'internal') this.log.error('ws.frame_failed', { type: frame.type, err });
      const ref = (frame as { clientMsgId?: string }).clientMsgId;
      if (frame.type === 'auth') this.fail(e.wireCode, e.message, e.closeCode);
      else this.error(e.wireCode, e.message, ref);
    } finally {
      // The last queued frame done: drop the chain (a settled constant costs nothing per socket).
      if (ordered && --this.pending === 0) this.queue = SETTLED;
    }
  }

  /** The socket closed (shared ws handler). */
  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    this.authDone();
    // Cleanup waits for auth and queued writes, so it sees what they registered.
    void Promise.all([this.authed, this.queue])
      .then(() => this.onClose())
      .catch((err) => this.log.warn('ws.close_cleanup_failed', { err }))
      .finally(() => {
        this.cleanedUp = true;
        this.settle?.();
      });
  }
}
