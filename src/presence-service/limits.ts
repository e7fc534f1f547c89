/**
 * Service-internal limits (the wire-level ones live in src/protocol/limits.ts). Each is a
 * named default, settable from the environment (LIMIT_ENV below, validated with zod by
 * parseLimitsEnv, listed in the README's table); createPresenceService also takes
 * overrides so tests can shorten them.
 */
import { z } from 'zod';
import { AUTH_TIMEOUT_MS, HEARTBEAT_INTERVAL_MS, REAP_AFTER_MS } from '../protocol/limits.js';

export interface ServiceLimits {
  authTimeoutMs: number;
  /** Every socket is pinged this often; presence TTLs are refreshed in one batch per beat. */
  heartbeatIntervalMs: number;
  /** A socket silent this long (no frame, no pong) is cut by then (at most min(1 s, heartbeat / 4) earlier). */
  reapAfterMs: number;
  /** Member-set TTL for sockets and agents: a crashed instance's sockets vanish within this. */
  presenceTtlMs: number;
  /** Token bucket per socket: burst size and refill per second. */
  frameBurst: number;
  framesPerSec: number;
  /** Rejected frames beyond this within one socket's life close it (1008). */
  rateAbuseStrikes: number;
  /** Token bucket per client IP and instance for upgrades: refill per minute... */
  handshakesPerIpPerMin: number;
  /** ...and burst (defaults to handshakesPerIpPerMin when only that is set). */
  handshakeBurst: number;
  /** Open sockets per client IP and instance (a corporate NAT is one IP for thousands). */
  socketsPerIp: number;
  /** Open sockets per visitor token (tabs), per instance. */
  socketsPerVisitor: number;
  /** How often each instance re-evaluates availability (per project) for schedule boundaries. */
  availabilityTickMs: number;
  /** How often counted widget views (usage/counter.ts) go to the app: the longest time a count is held. */
  usageFlushMs: number;
  /** JSON bodies of Forge Remote calls. */
  maxJsonBodyBytes: number;
  appTimeoutMs: number;
  /** Agents' chosen status is kept this long without activity. */
  agentStatusTtlMs: number;
  /** Customers' "last seen" per conversation is kept this long. */
  lastSeenTtlMs: number;
  /** A verified visitor's record without a conversation is kept this long after their last visit (sliding). */
  visitorIdleTtlMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_LIMITS: Readonly<ServiceLimits> = Object.freeze({
  authTimeoutMs: AUTH_TIMEOUT_MS,
  heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
  reapAfterMs: REAP_AFTER_MS,
  presenceTtlMs: 60_000,
  frameBurst: 20,
  framesPerSec: 5,
  rateAbuseStrikes: 20,
  handshakesPerIpPerMin: 600,
  handshakeBurst: 300,
  socketsPerIp: 2_000,
  socketsPerVisitor: 10,
  availabilityTickMs: 30_000,
  usageFlushMs: 60_000,
  maxJsonBodyBytes: 256 * 1024,
  appTimeoutMs: 15_000,
  agentStatusTtlMs: 12 * 60 * 60 * 1000,
  lastSeenTtlMs: 30 * DAY_MS,
  visitorIdleTtlMs: 30 * DAY_MS,
});

/** The environment variable of each limit (README "Limits" table). */
export const LIMIT_ENV: Readonly<Record<keyof ServiceLimits, string>> = Object.freeze({
  authTimeoutMs: 'AUTH_TIMEOUT_MS',
  heartbeatIntervalMs: 'HEARTBEAT_INTERVAL_MS',
  reapAfterMs: 'REAP_AFTER_MS',
  presenceTtlMs: 'PRESENCE_TTL_MS',
  frameBurst: 'FRAME_BURST',
  framesPerSec: 'FRAMES_PER_SEC',
  rateAbuseStrikes: 'RATE_ABUSE_STRIKES',
  handshakesPerIpPerMin: 'HANDSHAKES_PER_IP_PER_MIN',
  handshakeBurst: 'HANDSHAKE_BURST',
  socketsPerIp: 'SOCKETS_PER_IP',
  socketsPerVisitor: 'SOCKETS_PER_VISITOR',
  availabilityTickMs: 'AVAILABILITY_TICK_MS',
  usageFlushMs: 'USAGE_FLUSH_MS',
  maxJsonBodyBytes: 'MAX_JSON_BODY_BYTES',
  appTimeoutMs: 'APP_TIMEOUT_MS',
  agentStatusTtlMs: 'AGENT_STATUS_TTL_MS',
  lastSeenTtlMs: 'LAST_SEEN_TTL_MS',
  visitorIdleTtlMs: 'VISITOR_IDLE_TTL_MS',
});

/** Upper bound for any limit from the environment (a year in ms; far above any sane count). */
const MAX_LIMIT = 365 * DAY_MS;
const LimitValue = z
  .string()
  .trim()
  .regex(/^\d+$/, 'a positive whole number')
  .transform(Number)
  .pipe(z.number().int().min(1, 'at least 1').max(MAX_LIMIT, `at most ${MAX_LIMIT}`));

export class LimitEnvError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${variable}: expected ${expected}, got "${got}"`);
    this.name = 'LimitEnvError';
  }
}

/** The limits set in `env` (unset or empty ones are left to the defaults). */
export function parseLimitsEnv(env: Record<string, string | undefined>): Partial<ServiceLimits> {
  const out: Partial<ServiceLimits> = {};
  for (const [k, name] of Object.entries(LIMIT_ENV) as [keyof ServiceLimits, string][]) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const r = LimitValue.safeParse(raw);
    if (!r.success) throw new LimitEnvError(name, r.error.issues[0]?.message ?? 'a positive whole number', raw);
    out[k] = r.data;
  }
  return out;
}

export function resolveLimits(overrides: Partial<ServiceLimits> = {}): Readonly<ServiceLimits> {
  const burst = overrides.handshakeBurst ?? overrides.handshakesPerIpPerMin ?? DEFAULT_LIMITS.handshakeBurst;
  const l = { ...DEFAULT_LIMITS, ...overrides, handshakeBurst: burst };
  for (const [k, v] of Object.entries(l)) {
    if (!Number.isFinite(v) || v <= 0) throw new TypeError(`limit ${k} must be a positive number`);
  }
  // A live socket's pong lands a heartbeat after the previous one: the reap window must be longer.
  if (l.reapAfterMs <= l.heartbeatIntervalMs) throw new TypeError('reapAfterMs must be longer than heartbeatIntervalMs (twice it is usual)');
  return Object.freeze(l);
}
