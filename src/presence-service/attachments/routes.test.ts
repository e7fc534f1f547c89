import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ATTACHMENT_RETENTION_MS, DEFAULT_MAX_UPLOAD_BYTES, DOWNLOAD_URL_TTL_SEC } from '../../protocol/limits.js';
import { createDiskBlobStore } from './disk.js';
import type { AttachmentsPort, Principal } from '../attachments-port.js';
import type { BlobStore } from './blob-store.js';
import { startS3, type S3Harness } from './s3-harness.js';
import { createAttachments } from './service.js';
import { createRouter } from '../http/router.js';
import { silentLogger } from '../log.js';
import { downloadSigningKey, signDownload } from './download.js';

// ---- fixtures --------------------------------------------------------------------------

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>');
const SVG_XML = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
const SIGNING_KEY = Buffer.alloc(32, 7);
const ALLOWED_ORIGIN = 'https://shop.example';

/** Bearer token -> who it speaks for, and which conversations that one may see. */
const TOKENS: Record<string, { p: Principal; conversations: string[] | 'site' }> = {
  'cust-a-12': { p: { kind: 'customer', installationId: 'site-a', accountId: 'c1' }, conversations: ['SUP-12'] },
  'cust-a-13': { p: { kind: 'customer', installationId: 'site-a', accountId: 'c2' }, conversations: ['SUP-13'] },
  'agent-a': { p: { kind: 'agent', installationId: 'site-a', accountId: 'a1' }, conversations: 'site' },
  'agent-b': { p: { kind: 'agent', installationId: 'site-b', accountId: 'b1' }, conversations: 'site' },
};

interface Rig {
  base: string;
  att: AttachmentsPort;
  blobs: BlobStore;
  spoolDir: string;
  clock: { now: number };
  close(): Promise<void>;
}

async function startRig(blobs: BlobStore, cleanup: () => Promise<void> = async () => {}): Promise<Rig> {
  const clock = { now: Date.now() };
  const spoolDir = await mkdtemp(join(tmpdir(), 'att-spool-'));
  const router = createRouter(silentLogger);
  const server: Server = createServer((req, res) => void router.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tokenOf = (req: IncomingMessage) => TOKENS[/^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? ''];
  const att = createAttachments({
    blobs,
    publicUrl: base,
    maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
    signingKey: SIGNING_KEY,
    clock: () => clock.now,
    spoolDir,
    authenticate: async (req) => tokenOf(req)?.p ?? null,
    mayAccess: async (p, conversationId) => {
      const entry = Object.values(TOKENS).find((t) => t.p === p);
      return !!entry && (entry.conversations === 'site' || entry.conversations.includes(conversationId));
    },
    allowOrigin: async (_installationId, _conversationId, origin) => origin === ALLOWED_ORIGIN,
  });
  router.add(att.routes);
  return {
    base,
    att,
    blobs,
    spoolDir,
    clock,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await rm(spoolDir, { recursive: true, force: true });
      await cleanup();
    },
  };
}

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: Buffer;
  json: any;
}

/**
 * Uploads like the widget's XHR: raw body, Bearer token, optional Origin. With
 * `declareLength: false` the body goes chunked, so only the streaming limit can stop it.
 * Resolves on the answer even when the server hangs up on the rest of the body.
 */
function upload(
  base: string,
  body: Buffer,
  o: { token?: string; conversationId?: string; name?: string; origin?: string; declareLength?: boolean } = {},
): Promise<Answer> {
  const q = new URLSearchParams({ conversationId: o.conversationId ?? 'SUP-12', name: o.name ?? 'shot.png' });
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
    if (o.token !== undefined) headers.Authorization = `Bearer ${o.token}`;
    else headers.Authorization = 'Bearer cust-a-12';
    if (o.token === '') delete headers.Authorization;
    if (o.origin) headers.Origin = o.origin;
    if (o.declareLength !== false) headers['Content-Length'] = String(body.length);
    const req = request(`${base}/v1/attachments?${q}`, { method: 'POST', headers });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve(toAnswer(res, Buffer.concat(parts))));
      res.on('error', reject);
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    // Write in pieces with backpressure, as a browser would; stop once answered.
    const CHUNK = 64 * 1024;
    let at = 0;
    const pump = () => {
      while (at < body.length && !answered && !req.destroyed) {
        const ok = req.write(body.subarray(at, at + CHUNK));
        at += CHUNK;
        if (!ok) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

function toAnswer(res: IncomingMessage, body: Buffer): Answer {
  let json: unknown = null;
  if (/json/.test(String(res.headers['content-type']))) json = JSON.parse(body.toString('utf8'));
  const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
  return { status: res.statusCode ?? 0, headers, body, json };
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, { headers, redirect: 'manual' });
  const body = Buffer.from(await res.arrayBuffer());
  const h = Object.fromEntries(res.headers.entries());
  return { status: res.status, headers: h, body, json: /json/.test(h['content-type'] ?? '') ? JSON.parse(body.toString('utf8')) : null };
}

async function countObjects(blobs: BlobStore): Promise<number> {
  let n = 0;
  for await (const _ of blobs.listOlderThan(Number.MAX_SAFE_INTEGER)) n++;
  return n;
}

async function freshUrl(rig: Rig, id: string, conversationId = 'SUP-12'): Promise<string> {
  const r = await rig.att.downloadUrl('site-a', conversationId, id);
  if (!r || 'expired' in r) throw new Error(`no download url: ${JSON.stringify(r)}`);
  return r.url;
}

// ---- disk-backed service -------------------------------------------------------------

let rig: Rig;
let diskDir: string;
test.before(async () => {
  diskDir = await mkdtemp(join(tmpdir(), 'att-routes-'));
  rig = await startRig(createDiskBlobStore({ dir: diskDir }), () => rm(diskDir, { recursive: true, force: true }));
});
test.after(async () => {
  await rig.close();
});

test('uploads a PNG and serves it back through a signed link with safe headers', async () => {
  const up = await upload(rig.base, PNG, { name: 'shot.png' });
  assert.is(up.status, 201, up.body.toString());
  const ref = up.json.attachment;
  assert.equal({ ...ref, id: undefined }, { id: undefined, name: 'shot.png', size: PNG.length, mime: 'image/png' });
  assert.match(ref.id, /^[A-Za-z0-9_-]{22}$/);

  const url = await freshUrl(rig, ref.id);
  assert.match(url, new RegExp(`^${rig.base}/v1/files/${ref.id}\\?c=site-a&e=\\d+&s=`));
  const dl = await get(url);
  assert.is(dl.status, 200);
  assert.ok(dl.body.equals(PNG), 'downloaded bytes differ');
  assert.is(dl.headers['content-type'], 'image/png');
  assert.is(dl.headers['content-disposition'], `attachment; filename="shot.png"; filename*=UTF-8''shot.png`);
  assert.is(dl.headers['x-content-type-options'], 'nosniff');
  assert.is(dl.headers['cache-control'], 'private, no-store');
  assert.match(dl.headers['content-security-policy'] ?? '', /^default-src 'none'/);
});

test('describe gives the ref, its conversation and the stable link for the Jira comment', async () => {
  const up = await upload(rig.base, PDF, { name: 'Rechnung März.pdf' });
  const d = await rig.att.describe('site-a', up.json.attachment.id);
  assert.equal(d, { ...up.json.attachment, conversationId: 'SUP-12', url: `${rig.base}/v1/attachments/${up.json.attachment.id}` });
  assert.is(d!.name, 'Rechnung März.pdf');
  assert.is(await rig.att.describe('site-b', up.json.attachment.id), null, 'visible from another site');
});

test('a file over 10 MiB declared by Content-Length is refused with 413 before it is read', async () => {
  const before = await countObjects(rig.blobs);
  const up = await upload(rig.base, Buffer.alloc(DEFAULT_MAX_UPLOAD_BYTES + 1, 0x41));
  assert.is(up.status, 413);
  assert.equal(up.json, { error: { code: 'too_large', message: 'The file is larger than 10 MiB.' } });
  assert.is(await countObjects(rig.blobs), before);
});

test('a chunked upload is cut off with 413 once it passes 10 MiB, and nothing is stored or spooled', async () => {
  const before = await countObjects(rig.blobs);
  const body = Buffer.concat([PNG, Buffer.alloc(DEFAULT_MAX_UPLOAD_BYTES + 256 * 1024 - PNG.length, 0x41)]);
  const up = await upload(rig.base, body, { declareLength: false });
  assert.is(up.status, 413);
  assert.is(up.json.error.code, 'too_large');
  assert.is(await countObjects(rig.blobs), before);
  assert.equal(await readdir(rig.spoolDir), []);
});

test('an HTML page named .png is refused with 415', async () => {
  const up = await upload(rig.base, HTML, { name: 'cat.png' });
  assert.is(up.status, 415);
  assert.is(up.json.error.code, 'unsupported_type');
  assert.match(up.json.error.message, /HTML, SVG and XML files cannot be attached/);
});

test('SVG is refused with 415, with or without an XML declaration', async () => {
  for (const [body, name] of [
    [SVG, 'logo.svg'],
    [SVG_XML, 'logo.png'],
  ] as const) {
    const up = await upload(rig.base, body, { name });
    assert.is(up.status, 415, name);
    assert.is(up.json.error.code, 'unsupported_type');
  }
});

test('binary junk and text with NUL bytes are refused; an empty file gets its own message', async () => {
  const junk = await upload(rig.base, Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81, 0x82, 0x90]), { name: 'a.txt' });
  assert.is(junk.status, 415);
  const nul = await upload(rig.base, Buffer.from('hello\u0000world'), { name: 'a.txt' });
  assert.is(nul.status, 415);
  const empty = await upload(rig.base, Buffer.alloc(0), { name: 'a.txt' });
  assert.is(empty.status, 400);
  assert.is(empty.json.error.code, 'empty');
});

test('UTF-8 text is accepted and served as text/plain with its charset', async () => {
  const text = Buffer.from('Fehlermeldung: Zugriff verweigert ✗\nline 2\n');
  const up = await upload(rig.base, text, { name: 'log.html' });
  assert.is(up.status, 201);
  assert.is(up.json.attachment.mime, 'text/plain');
  assert.is(up.json.attachment.name, 'log.txt', 'an extension that disagrees with the bytes is replaced');
  const dl = await get(await freshUrl(rig, up.json.attachment.id));
  assert.is(dl.headers['content-type'], 'text/plain; charset=utf-8');
  assert.ok(dl.body.equals(text));
});

test('a path in the name is stripped: ../../etc/passwd becomes passwd.png', async () => {
  const up = await upload(rig.base, PNG, { name: '../../etc/passwd' });
  assert.is(up.status, 201);
  assert.is(up.json.attachment.name, 'passwd.png');
  const rtl = await upload(rig.base, PDF, { name: 'C:\\Users\\x\\invoice\u202Efdp.exe' });
  assert.is(rtl.json.attachment.name, 'invoicefdp.pdf');
});

test('a token for another conversation is refused with 403 and nothing is stored', async () => {
  const before = await countObjects(rig.blobs);
  const up = await upload(rig.base, PNG, { token: 'cust-a-13', conversationId: 'SUP-12' });
  assert.is(up.status, 403);
  assert.is(up.json.error.code, 'forbidden');
  assert.is(await countObjects(rig.blobs), before);
});

test('no token is 401, a malformed conversation id is 400', async () => {
  const none = await upload(rig.base, PNG, { token: '' });
  assert.is(none.status, 401);
  assert.is(none.json.error.code, 'unauthenticated');
  const bad = await upload(rig.base, PNG, { conversationId: '../SUP-12' });
  assert.is(bad.status, 400);
  assert.is(bad.json.error.code, 'invalid');
});

test('CORS: preflight reflects the origin; an origin off the allowlist gets 403 without CORS headers', async () => {
  const pre = await fetch(`${rig.base}/v1/attachments?conversationId=SUP-12&name=a.png`, {
    method: 'OPTIONS',
    headers: { Origin: ALLOWED_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
  });
  assert.is(pre.status, 204);
  assert.is(pre.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
  assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Authorization/);
  const ok = await upload(rig.base, PNG, { origin: ALLOWED_ORIGIN });
  assert.is(ok.status, 201);
  assert.is(ok.headers['access-control-allow-origin'], ALLOWED_ORIGIN);
  const before = await countObjects(rig.blobs);
  const evil = await upload(rig.base, PNG, { origin: 'https://evil.example' });
  assert.is(evil.status, 403);
  assert.is(evil.json.error.code, 'origin_not_allowed');
  assert.is(evil.headers['access-control-allow-origin'], undefined);
  assert.is(await countObjects(rig.blobs), before);
});

test('agents upload from the Custom UI origin (not on the website allowlist) and get CORS for it; customers from that origin do not', async () => {
  const CUSTOM_UI = 'https://abc123.cdn.prod.atlassian-dev.net';
  const pre = await fetch(`${rig.base}/v1/attachments?conversationId=SUP-12&name=a.png`, {
    method: 'OPTIONS',
    headers: { Origin: CUSTOM_UI, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
  });
  assert.is(pre.status, 204);
  assert.is(pre.headers.get('access-control-allow-origin'), CUSTOM_UI);
  const agent = await upload(rig.base, PNG, { token: 'agent-a', origin: CUSTOM_UI });
  assert.is(agent.status, 201, JSON.stringify(agent.json));
  assert.is(agent.headers['access-control-allow-origin'], CUSTOM_UI);
  assert.is(agent.json.attachment.mime, 'image/png');
  const customer = await upload(rig.base, PNG, { token: 'cust-a-12', origin: CUSTOM_UI });
  assert.is(customer.status, 403);
  assert.is(customer.json.error.code, 'origin_not_allowed');
});

test('a tampered signature is 403; an expired link is 410', async () => {
  const up = await upload(rig.base, PNG);
  const url = new URL(await freshUrl(rig, up.json.attachment.id));
  const tampered = new URL(url);
  tampered.searchParams.set('e', String(Number(url.searchParams.get('e')) + 60));
  assert.is((await get(tampered.toString())).status, 403);
  const otherSite = new URL(url);
  otherSite.searchParams.set('c', 'site-b');
  assert.is((await get(otherSite.toString())).status, 403);
  const noSig = new URL(url);
  noSig.searchParams.delete('s');
  assert.is((await get(noSig.toString())).json.error.code, 'bad_signature');

  rig.clock.now += (DOWNLOAD_URL_TTL_SEC + 1) * 1000;
  const late = await get(url.toString());
  assert.is(late.status, 410);
  assert.is(late.json.error.code, 'link_expired');
});

test('the stable link: 401 without a Bearer (JSON or a page), 302 to a fresh signed link for a participant, 403 for others', async () => {
  const up = await upload(rig.base, PNG);
  const link = `${rig.base}/v1/attachments/${up.json.attachment.id}`;
  const anon = await get(link);
  assert.is(anon.status, 401);
  assert.match(anon.json.error.message, /chat panel/);
  const page = await get(link, { Accept: 'text/html' });
  assert.is(page.status, 401);
  assert.match(page.headers['content-type'] ?? '', /text\/html/);
  assert.match(page.body.toString(), /chat panel/);

  const agent = await get(link, { Authorization: 'Bearer agent-a' });
  assert.is(agent.status, 302);
  const dl = await get(agent.headers.location!);
  assert.is(dl.status, 200);
  assert.ok(dl.body.equals(PNG));

  assert.is((await get(link, { Authorization: 'Bearer cust-a-13' })).status, 403);
  const otherSite = await get(link, { Authorization: 'Bearer agent-b' });
  assert.is.not(otherSite.status, 302, 'an agent of another site got the file');
});

test('after 7 days every download is 410 expired, before and after the sweep removes the file', async () => {
  const up = await upload(rig.base, PNG);
  const id = up.json.attachment.id;
  const link = `${rig.base}/v1/attachments/${id}`;
  rig.clock.now += ATTACHMENT_RETENTION_MS + 1000;
  const expired = { error: { code: 'expired', message: 'This file has expired: attachments are kept for 7 days.' } };

  // Signed just now, so only retention can refuse it.
  const signedNow = rig.base + signDownload(downloadSigningKey(SIGNING_KEY), 'site-a', id, rig.clock.now).path;
  const early = await get(signedNow);
  assert.is(early.status, 410);
  assert.equal(early.json, expired);
  assert.equal(await rig.att.downloadUrl('site-a', 'SUP-12', id), { expired: true });

  const swept = await rig.att.sweep();
  assert.ok(swept >= 1, `swept ${swept}`);
  assert.is(await countObjects(rig.blobs), 0, 'objects left after the sweep');
  const afterSweep = await get(link, { Authorization: 'Bearer agent-a' });
  assert.is(afterSweep.status, 410);
  assert.equal(afterSweep.json, expired);
  assert.is((await get(signedNow)).status, 410);
  assert.equal(await rig.att.downloadUrl('site-a', 'SUP-12', id), { expired: true });
});

test('exact statuses: unknown path 404, other methods 405 with Allow, bad percent-encoding 400', async () => {
  const unknown = await get(`${rig.base}/v1/widget.js`);
  assert.is(unknown.status, 404);
  assert.is(unknown.json.error.code, 'not_found');
  for (const [method, path, allow] of [
    ['PUT', '/v1/attachments', 'POST, OPTIONS'],
    ['GET', '/v1/attachments', 'POST, OPTIONS'],
    ['DELETE', '/v1/attachments/AAAAAAAAAAAAAAAAAAAAAA', 'GET, HEAD, OPTIONS'],
    ['POST', '/v1/files/AAAAAAAAAAAAAAAAAAAAAA', 'GET, HEAD'],
  ] as const) {
    const res = await fetch(rig.base + path, { method, ...(method === 'GET' ? {} : { body: 'x' }) });
    assert.is(res.status, 405, `${method} ${path}`);
    assert.is(res.headers.get('allow'), allow, `${method} ${path}`);
    assert.is(((await res.json()) as { error: { code: string } }).error.code, 'method_not_allowed');
  }
  for (const path of ['/v1/attachments/%E0', '/v1/files/%E0%A4%A?c=a&e=1&s=x']) {
    const res = await get(rig.base + path, { authorization: 'Bearer cust-a-12' });
    assert.is(res.status, 400, path);
    assert.is(res.json.error.code, 'bad_url');
    assert.match(res.json.error.message, /percent-encoding/);
  }
});

test('storage failing mid-request is a 503 the widget can read (CORS), with no detail', async () => {
  const broken: BlobStore = { ...rig.blobs, head: () => Promise.reject(new Error('disk on fire at /var/secret')) };
  const r = await startRig(broken);
  try {
    const res = await get(`${r.base}/v1/attachments/AAAAAAAAAAAAAAAAAAAAAA`, { authorization: 'Bearer cust-a-12', origin: ALLOWED_ORIGIN });
    assert.is(res.status, 503);
    assert.is(res.json.error.code, 'unavailable');
    assert.not.match(JSON.stringify(res.json), /fire|secret/);
    assert.is(res.headers['access-control-allow-origin'], ALLOWED_ORIGIN);
  } finally {
    await r.close();
  }
});

// ---- S3-backed service ----------------------------------------------------------------

let s3: S3Harness;
let s3rig: Rig;
test.before(async () => {
  s3 = await startS3('routes-test');
  s3rig = await startRig(s3.store, () => s3.close());
});
test.after(async () => {
  await s3rig.close();
});

test('S3: the download is a presigned URL that s3rver serves as an attachment', async () => {
  const up = await upload(s3rig.base, PNG, { name: 'Screenshot 2026-11-29 um 01.00.png' });
  assert.is(up.status, 201, up.body.toString());
  const url = await freshUrl(s3rig, up.json.attachment.id);
  assert.ok(url.startsWith(s3.endpoint), url);
  assert.match(url, /X-Amz-Expires=300/);
  const dl = await get(url);
  assert.is(dl.status, 200);
  assert.ok(dl.body.equals(PNG), 'bytes differ');
  assert.match(dl.headers['content-disposition'] ?? '', /^attachment; filename="Screenshot 2026-11-29 um 01.00.png"/);
  assert.is(dl.headers['content-type'], 'image/png');

  const redirect = await get(`${s3rig.base}/v1/attachments/${up.json.attachment.id}`, { Authorization: 'Bearer cust-a-12' });
  assert.is(redirect.status, 302);
  assert.ok(redirect.headers.location!.startsWith(s3.endpoint));
});

test('S3: oversize and refused types leave no object in the bucket', async () => {
  const before = await countObjects(s3rig.blobs);
  assert.is((await upload(s3rig.base, HTML, { name: 'x.png' })).status, 415);
  assert.is((await upload(s3rig.base, Buffer.alloc(DEFAULT_MAX_UPLOAD_BYTES + 100_000, 1), { declareLength: false })).status, 413);
  assert.is(await countObjects(s3rig.blobs), before);
});

test('S3: the sweeper deletes objects once 7 days have passed', async () => {
  const up = await upload(s3rig.base, PDF, { name: 'a.pdf' });
  assert.is(up.status, 201);
  assert.ok((await countObjects(s3rig.blobs)) >= 1);
  s3rig.clock.now += ATTACHMENT_RETENTION_MS + 60_000;
  assert.ok((await s3rig.att.sweep()) >= 1);
  assert.is(await countObjects(s3rig.blobs), 0);
  assert.equal(await s3rig.att.downloadUrl('site-a', 'SUP-12', up.json.attachment.id), { expired: true });
});

test.run();
