/** `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`, checked on the raw bytes. */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const HUB_SIGNATURE_HEADER = 'x-hub-signature-256';

export type HubSignatureResult = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' };

export function signHub(appSecret: string, raw: Buffer | string): string {
  return 'sha256=' + createHmac('sha256', appSecret).update(raw).digest('hex');
}

export function verifyHubSignature(appSecret: string, raw: Buffer, header: string | string[] | undefined): HubSignatureResult {
  if (typeof header !== 'string' || header === '') return { ok: false, reason: 'missing' };
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!m) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(m[1]!.toLowerCase(), 'hex');
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  return timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
