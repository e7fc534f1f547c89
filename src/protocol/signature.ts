/**
 * Signed calls from the presence service to the app's webtrigger. A webtrigger URL has
 * no auth of its own, so each request carries an HMAC-SHA256 over `<timestamp>.<raw body>`
 * with the installation's shared secret (issued at link time). The timestamp bounds
 * replays to SIGNATURE_WINDOW_SEC; idempotency keys (clientMsgId) make a replay inside
 * the window harmless.
 */
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { SIGNATURE_WINDOW_SEC } from './limits.js';

export const SIGNATURE_HEADER = 'x-jsmchat-signature';
export const TIMESTAMP_HEADER = 'x-jsmchat-timestamp';
const SCHEME = 'v1=';

/** `secret`: the shared secret, or the same as a KeyObject (createSecretKey) made once by a caller that signs often. */
export function sign(secret: string | KeyObject, timestampSec: number, rawBody: string): string {
  return SCHEME + createHmac('sha256', secret).update(`${timestampSec}.${rawBody}`).digest('hex');
}

export function signedHeaders(secret: string | KeyObject, rawBody: string, nowMs = Date.now()): Record<string, string> {
  const ts = Math.floor(nowMs / 1000);
  return { [SIGNATURE_HEADER]: sign(secret, ts, rawBody), [TIMESTAMP_HEADER]: String(ts), 'content-type': 'application/json' };
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export function verify(opts: {
  secret: string;
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
  nowMs?: number;
  windowSec?: number;
}): VerifyResult {
  const { secret, rawBody, signature, timestamp } = opts;
  if (!signature || !timestamp) return { ok: false, reason: 'missing' };
  if (!/^\d{9,12}$/.test(timestamp) || !signature.startsWith(SCHEME) || signature.length !== SCHEME.length + 64) {
    return { ok: false, reason: 'malformed' };
  }
  const ts = Number(timestamp);
  const now = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  if (Math.abs(now - ts) > (opts.windowSec ?? SIGNATURE_WINDOW_SEC)) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(sign(secret, ts, rawBody));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** Constant-time string comparison for tokens of possibly different lengths. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHmac('sha256', 'cmp').update(a).digest();
  const hb = createHmac('sha256', 'cmp').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
