/**
 * Service-internal limits (the wire-level ones live in src/protocol/limits.ts). Each is
 * a named default; createPresenceService takes overrides so tests can shorten them.
 */
import { AUTH_TIMEOUT_MS, HEARTBEAT_INTERVAL_MS, REAP_AFTER_MS } from '../protocol/limits.js';

export interface ServiceLimits {
  authTimeoutMs: number;
  heartbeatIntervalMs: number;
  reapAfterMs: number;
  /** Member-set TTL for sockets and agents: a crashed instance's sockets vanish within this. */
  presenceTtlMs: number;
  /** Token bucket per socket: burst size and refill per second. */
  frameBurst: number;
  framesPerSec: number;
  /** Rejected frames beyond this within one socket's life close it (1008). */
  rateAbuseStrikes: number;
  /** Upgrades per client IP per minute, across instances. */
  handshakesPerIpPerMin: number;
  /** Open sockets per client IP, across instances. */
  socketsPerIp: number;
  /** Open sockets per visitor token (tabs), across instances. */
  socketsPerVisitor: number;
  /** How often each instance re-evaluates availability for schedule boundaries. */
  availabilityTickMs: number;
  /** JSON bodies of Forge Remote calls. */
  maxJsonBodyBytes: number;
  appTimeoutMs: number;
  /** Agents' chosen status is kept this long without activity. */
  agentStatusTtlMs: number;
  /** Customers' "last seen" per conversation is kept this long. */
  lastSeenTtlMs: number;
}

export const DEFAULT_LIMITS: Readonly<ServiceLimits> = Object.freeze({
  authTimeoutMs: AUTH_TIMEOUT_MS,
  heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
  reapAfterMs: REAP_AFTER_MS,
  presenceTtlMs: 60_000,
  frameBurst: 20,
  framesPerSec: 5,
  rateAbuseStrikes: 20,
  handshakesPerIpPerMin: 120,
  socketsPerIp: 50,
  socketsPerVisitor: 10,
  availabilityTickMs: 30_000,
  maxJsonBodyBytes: 256 * 1024,
  appTimeoutMs: 15_000,
  agentStatusTtlMs: 12 * 60 * 60 * 1000,
  lastSeenTtlMs: 30 * 24 * 60 * 60 * 1000,
});

export function resolveLimits(overrides: Partial<ServiceLimits> = {}): Readonly<ServiceLimits> {
  const l = { ...DEFAULT_LIMITS, ...overrides };
  for (const [k, v] of Object.entries(l)) {
    if (!Number.isFinite(v) || v <= 0) throw new TypeError(`limit ${k} must be a positive number`);
  }
  if (l.reapAfterMs < l.heartbeatIntervalMs) throw new TypeError('reapAfterMs must be at least heartbeatIntervalMs');
  return Object.freeze(l);
}
