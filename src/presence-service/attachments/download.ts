/**
 * Getting a file out: the stable link in Jira comments (redirects a participant to a
 * fresh link), fresh links (presigned by S3, else signed here), and the disk adapter's
 * signed download.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { DOWNLOAD_URL_TTL_SEC } from '../../protocol/limits.js';
import { blobKey, type BlobMeta } from './blob-store.js';
import type { AttachmentsContext } from './service.js';
import { corsHeaders, EXPIRED_MESSAGE, refusal } from './http.js';
import { isExpired, lookup } from './files.js';
import { contentDisposition } from './names.js';
import { servedContentType } from './sniff.js';
import { requestIdOf } from '../request-id.js';

const OPEN_FROM_CHAT = 'Open this file from the chat panel: links in Jira comments work only from a chat session.';

/**
 * GET /v1/attachments/<id>: the stable link written into Jira comments. A browser that
 * follows it from the comment carries no Bearer token, so it gets a 401 that says where
 * to open the file instead; a participant's client (with a Bearer) is redirected to a
 * fresh short-lived link.
 */
export async function handleStableLink(ctx: AttachmentsContext, req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
  const cors = corsHeaders(req.headers.origin);
  const principal = await ctx.authenticate(req);
  if (!principal) {
    const headers = { ...cors, 'WWW-Authenticate': 'Bearer' };
    if (wantsHtml(req)) return sendHtml(res, 401, 'Open this file from the chat', OPEN_FROM_CHAT, headers);
    throw refusal('unauthenticated', OPEN_FROM_CHAT, headers);
  }
  const found = await lookup(ctx, principal.installationId, id);
  if (found.state === 'invalid') throw refusal('not_found', 'No such attachment.', cors);
  if (found.state === 'expired') throw refusal('expired', EXPIRED_MESSAGE, cors);
  if (!(await ctx.mayAccess(principal, found.meta.conversationId, requestIdOf(res)))) {
    throw refusal('forbidden', 'You are not a participant of the conversation this file belongs to.', cors);
  }
  const { url } = await freshDownloadUrl(ctx, principal.installationId, id, found.meta);
  res.writeHead(302, { ...cors, Location: url, 'Cache-Control': 'no-store', 'Content-Length': '0' });
  res.end();
}

/**
 * GET /v1/files/<id>?c&e&s: the disk adapter's signed download. The signature is checked
 * before storage is touched, so unsigned requests cannot probe which ids exist.
 */
export async function handleSignedFile(ctx: AttachmentsContext, req: IncomingMessage, res: ServerResponse, id: string, query: URLSearchParams): Promise<void> {
  const check = verifyDownload(ctx.signingKey, id, query, ctx.clock());
  if (!check.ok) {
    if (check.reason === 'link_expired') throw refusal('link_expired', 'This download link has expired. Open the file again from the chat.');
    throw refusal('bad_signature', 'This download link is not valid.');
  }
  const found = await lookup(ctx, check.installationId, check.id);
  if (found.state !== 'ok') throw refusal('expired', EXPIRED_MESSAGE);
  const blob = await ctx.blobs.get(found.key);
  if (!blob || isExpired(ctx, blob.meta.uploadedAt)) {
    blob?.stream.destroy();
    throw refusal('expired', EXPIRED_MESSAGE);
  }
  res.writeHead(200, {
    'Content-Type': servedContentType(blob.meta.mime),
    'Content-Length': String(blob.size),
    'Content-Disposition': contentDisposition(blob.meta.name),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Referrer-Policy': 'no-referrer',
  });
  if (req.method === 'HEAD') {
    blob.stream.destroy();
    res.end();
    return;
  }
  try {
    await pipeline(blob.stream, res);
  } catch (err) {
    // The client hung up or the store failed mid-stream: nothing more can be said to it.
    ctx.log('debug', 'attachments: download interrupted', { error: (err as Error).name });
  }
}

function wantsHtml(req: IncomingMessage): boolean {
  return /\btext\/html\b/.test(req.headers.accept ?? '');
}

function sendHtml(res: ServerResponse, status: number, title: string, text: string, headers: OutgoingHttpHeaders): void {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = `<!doctype html><html lang="en"><meta charset="utf-8"><title>${esc(title)}</title><h1>${esc(title)}</h1><p>${esc(text)}</p></html>`;
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Content-Security-Policy': "default-src 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

/** A fresh short-lived link: presigned by S3 where the store can, else signed by us. */
export async function freshDownloadUrl(
  ctx: AttachmentsContext,
  installationId: string,
  id: string,
  meta: BlobMeta,
): Promise<{ url: string; expiresAt: string }> {
  const now = ctx.clock();
  if (ctx.blobs.presignGet) {
    const url = await ctx.blobs.presignGet(blobKey(installationId, id), {
      filename: meta.name,
      ttlSec: DOWNLOAD_URL_TTL_SEC,
      contentType: servedContentType(meta.mime),
    });
    return { url, expiresAt: new Date(now + DOWNLOAD_URL_TTL_SEC * 1000).toISOString() };
  }
  const link = signDownload(ctx.signingKey, installationId, id, now);
  return { url: ctx.publicUrl + link.path, expiresAt: new Date(link.expiresAtSec * 1000).toISOString() };
}

// ---- signed links -----------------------------------------------------------------

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

export type LinkCheck = { ok: true; installationId: string; id: string } | { ok: false; reason: 'bad_signature' | 'link_expired' };

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
