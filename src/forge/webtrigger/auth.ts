/**
 * Webtrigger URLs carry no auth of their own: every call must be signed with the
 * installation's shared secret over `<timestamp>.<raw body>` (protocol/signature.ts),
 * checked in constant time on the raw body before anything is parsed.
 */
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from '../../protocol/signature.js';

export type AuthFailure = { code: 'bad_signature' | 'stale' | 'not_configured'; message: string };

export function header(headers: Record<string, string[] | string | undefined> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

export function checkSignature(opts: {
  secrets: readonly string[];
  rawBody: string;
  headers: Record<string, string[] | string | undefined> | undefined;
  nowMs?: number;
}): AuthFailure | null {
  if (opts.secrets.length === 0) return { code: 'not_configured', message: 'this installation is not linked to a presence service' };
  const signature = header(opts.headers, SIGNATURE_HEADER);
  const timestamp = header(opts.headers, TIMESTAMP_HEADER);
  let last: ReturnType<typeof verify> = { ok: false, reason: 'missing' };
  // Every secret is tried (current and, right after a relink, the previous one).
  for (const secret of opts.secrets) {
    last = verify({ secret, rawBody: opts.rawBody, signature, timestamp, ...(opts.nowMs !== undefined ? { nowMs: opts.nowMs } : {}) });
    if (last.ok) return null;
    if (last.reason === 'stale') return { code: 'stale', message: 'the request timestamp is outside the replay window' };
  }
  const reason = last.ok ? 'mismatch' : last.reason;
  return {
    code: 'bad_signature',
    message:
      reason === 'missing' ? 'signature or timestamp header missing' : reason === 'malformed' ? 'signature or timestamp malformed' : 'signature does not match',
  };
}
