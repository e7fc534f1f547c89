import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { DOWNLOAD_URL_TTL_SEC } from '../../protocol/limits.js';

/**
 * Download links for the disk adapter: `/v1/files/<id>?c=<installationId>&e=<expiry>&s=<mac>`,
 * the MAC being HMAC-SHA256(signingKey, "v1\n<installationId>\n<id>\n<expiry>"). The installationId is
 * in the link because objects live under it; it is not secret, and it is covered by the MAC.
 * Links live at most DOWNLOAD_URL_TTL_SEC; one that claims more is refused as forged.
 */
export const MIN_SIGNING_KEY_BYTES = 32;
export const FILES_PATH = '/v1/files/';

export interface SignedLink {
  path: string;
  expiresAtSec: number;
}

export type LinkCheck =
  | { ok: true; installationId: string; id: string }
  | { ok: false; reason: 'bad_signature' | 'link_expired' };

export function assertSigningKey(key: Buffer): void {
  if (key.length < MIN_SIGNING_KEY_BYTES) throw new RangeError(`attachment signing key needs at least ${MIN_SIGNING_KEY_BYTES} bytes`);
}

/**
 * The service hands us its master secret; links are signed with a key derived for this
 * one purpose, so a MAC made here can never be replayed as some other signature.
 */
export function downloadSigningKey(master: Buffer): Buffer {
  assertSigningKey(master);
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'jsm-chat attachments download-link v1', 32));
}

function mac(key: Buffer, installationId: string, id: string, expiresAtSec: number): Buffer {
  return createHmac('sha256', key).update(`v1\n${installationId}\n${id}\n${expiresAtSec}`).digest();
}

export function signDownload(key: Buffer, installationId: string, id: string, nowMs: number, ttlSec = DOWNLOAD_URL_TTL_SEC): SignedLink {
  const ttl = Math.min(Math.max(1, Math.floor(ttlSec)), DOWNLOAD_URL_TTL_SEC);
  const expiresAtSec = Math.floor(nowMs / 1000) + ttl;
  const s = mac(key, installationId, id, expiresAtSec).toString('base64url');
  const q = new URLSearchParams({ c: installationId, e: String(expiresAtSec), s });
  return { path: `${FILES_PATH}${encodeURIComponent(id)}?${q}`, expiresAtSec };
}

export function verifyDownload(key: Buffer, id: string, query: URLSearchParams, nowMs: number): LinkCheck {
  const installationId = query.get('c') ?? '';
  const e = query.get('e') ?? '';
  const given = Buffer.from(query.get('s') ?? '', 'base64url');
  if (!/^[0-9]{1,12}$/.test(e) || !/^[A-Za-z0-9-]{1,64}$/.test(installationId)) return { ok: false, reason: 'bad_signature' };
  const expiresAtSec = Number(e);
  const expected = mac(key, installationId, id, expiresAtSec);
  // Length first: timingSafeEqual throws on unequal lengths, and length is no secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  const nowSec = Math.floor(nowMs / 1000);
  if (expiresAtSec - nowSec > DOWNLOAD_URL_TTL_SEC) return { ok: false, reason: 'bad_signature' };
  if (expiresAtSec < nowSec) return { ok: false, reason: 'link_expired' };
  return { ok: true, installationId, id };
}
