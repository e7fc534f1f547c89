import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { AttachmentsContext } from './service.js';
import { corsHeaders, EXPIRED_MESSAGE, refusal } from './http.js';
import { freshDownloadUrl, isExpired, lookup } from './files.js';
import { contentDisposition } from './names.js';
import { verifyDownload } from './signed-url.js';
import { servedContentType } from './sniff.js';

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
  if (!(await ctx.mayAccess(principal, found.meta.conversationId))) {
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
