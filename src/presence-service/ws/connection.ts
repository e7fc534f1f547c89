/**
 * What every socket session shares: sending frames, the auth deadline, per-socket rate
 * limiting, frame parsing and the close codes. A failure here only ever affects this
 * one socket.
 * @see https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1 (close codes)
 */
import { withRequestId } from '../request-id.js';
import { randomUUID } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import type { z } from 'zod';
import type { ErrorCode } from '../../protocol/customer-ws.js';
import type { ServiceLimits } from '../limits.js';
import type { Logger } from '../log.js';
import { toServiceError } from '../errors.js';
import { parseFrame } from './frames.js';
import { TokenBucket } from './rate-limit.js';

export const CLOSE_UNSUPPORTED = 1003;
export const CLOSE_POLICY = 1008;
export const CLOSE_INTERNAL = 1011;
export const CLOSE_GOING_AWAY = 1001;
/** Service restart (RFC 6455 registry): this instance drains; reconnect, the balancer picks another. */
export const CLOSE_SERVICE_RESTART = 1012;

export abstract class Connection<Frame extends { type: string }> {
  readonly id = randomUUID();
  lastHeard: number;
  protected closed = false;
  private readonly bucket: TokenBucket;
  private strikes = 0;
  private authTimer: NodeJS.Timeout | null;
  /** Settles when the auth frame was handled; later frames wait for it. */
  private authed: Promise<void> | null = null;
  /** Frames that write (messages) run one at a time, in order, so acks keep their order. */
  private queue: Promise<void> = Promise.resolve();
  private settle!: () => void;
  /** Resolves once the socket closed and its cleanup (presence removal, the write in flight) finished. */
  readonly settled = new Promise<void>((resolve) => (this.settle = resolve));
  /** Logged with, and sent to the webtrigger for, everything this socket causes (request-id.ts). */
  requestId: string = randomUUID();
  /** Told about every `rate_limited` refusal on this socket (metrics). */
  onRateLimited: (() => void) | null = null;

  constructor(
    readonly ws: WebSocket,
    protected readonly limits: ServiceLimits,
    protected readonly log: Logger,
    protected readonly now: () => number,
    private readonly schema: z.ZodTypeAny,
    private readonly types: ReadonlySet<string>,
  ) {
    this.lastHeard = now();
    this.bucket = new TokenBucket(limits.frameBurst, limits.framesPerSec, now);
    this.authTimer = setTimeout(() => this.fail('unauthenticated', 'authenticate within the first frame', CLOSE_POLICY), limits.authTimeoutMs);
    ws.on('message', (data, isBinary) => withRequestId(this.requestId, () => this.onMessage(data, isBinary)));
    ws.on('close', () => this.shutdown());
    ws.on('error', (err) => this.log.debug('ws.error', { err }));
  }

  protected abstract get authenticated(): boolean;
  /** The site this socket belongs to, once authenticated. */
  abstract get installationId(): string | null;
  /** Frame types that must keep their order among themselves (the rest run as they come). */
  protected abstract readonly ordered: ReadonlySet<string>;
  protected abstract handle(frame: Frame): Promise<void>;
  protected abstract onClose(): Promise<void>;

  send(frame: object): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(JSON.stringify(frame));
  }

  error(code: ErrorCode, message: string, ref?: string): void {
    if (code === 'rate_limited') this.onRateLimited?.();
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

  protected authDone(): void {
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = null;
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    this.lastHeard = this.now();
    if (isBinary) return this.close(CLOSE_UNSUPPORTED, 'text frames only');
    if (!this.bucket.take()) {
      this.strikes += 1;
      if (this.strikes > this.limits.rateAbuseStrikes) return this.fail('rate_limited', 'too many frames', CLOSE_POLICY);
      return this.error('rate_limited', 'too many frames; slow down');
    }
    const parsed = parseFrame<z.ZodType<Frame>>(this.schema as z.ZodType<Frame>, this.types, data);
    if (!parsed.ok) {
      if (!this.authenticated) return this.fail(parsed.code, parsed.message);
      return this.error(parsed.code, parsed.message, parsed.ref);
    }
    const frame = parsed.frame;
    if (!this.authed) {
      if (frame.type !== 'auth') return this.fail('unauthenticated', 'the first frame must be auth');
      this.authed = this.run(frame);
      return;
    }
    if (frame.type === 'auth') return this.error('bad_frame', 'already authenticated');
    // Frames sent right after auth wait for it; a slow app call does not hold up typing or pings.
    const authed = this.authed;
    const go = () => authed.then(() => (this.authenticated ? this.run(frame) : undefined));
    if (this.ordered.has(frame.type)) this.queue = this.queue.then(go);
    else void go();
  }

  private async run(frame: Frame): Promise<void> {
    if (this.closed) return;
    try {
      await this.handle(frame);
    } catch (err) {
      const e = toServiceError(err);
      if (e.code === 'internal') this.log.error('ws.frame_failed', { type: frame.type, err });
      const ref = (frame as { clientMsgId?: string }).clientMsgId;
      if (frame.type === 'auth') this.fail(e.code, e.message, e.code === 'unavailable' ? CLOSE_INTERNAL : CLOSE_POLICY);
      else this.error(e.code, e.message, ref);
    }
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    this.authDone();
    // Cleanup waits for auth and queued writes, so it sees what they registered.
    void Promise.all([this.authed, this.queue])
      .then(() => this.onClose())
      .catch((err) => this.log.warn('ws.close_cleanup_failed', { err }))
      .finally(() => this.settle());
  }
}
