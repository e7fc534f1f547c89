import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../../../scripts/testing/chromium.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../../protocol/limits.js';
import { createDiskBlobStore } from './disk.js';
import { createAttachments } from './service.js';
import { createRouter } from '../http/router.js';
import { silentLogger } from '../log.js';

/**
 * The widget uploads with XHR from the customer's site, cross-origin, with a Bearer
 * header: this proves, in a real browser, that the preflight and CORS answers let an
 * allowed origin upload (with progress) and read the answer, that any other origin is
 * stopped, and that an oversize file is told apart from a network failure.
 */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

let browser: Browser;
let api: Server;
let site: Server;
let apiBase: string;
let siteOrigin: string;
let dir: string;

const listen = async (s: Server) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
};

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'att-browser-'));
  site = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>shop</title>');
  });
  siteOrigin = await listen(site);
  const router = createRouter(silentLogger);
  api = createServer((req, res) => void router.handle(req, res));
  apiBase = await listen(api);
  const att = createAttachments({
    blobs: createDiskBlobStore({ dir: join(dir, 'blobs') }),
    publicUrl: apiBase,
    maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
    signingKey: Buffer.alloc(32, 1),
    spoolDir: dir,
    authenticate: async (req) =>
      req.headers.authorization === 'Bearer visitor-token' ? { kind: 'customer', installationId: 'site-a', accountId: 'c1' } : null,
    mayAccess: async (_p, conversationId) => conversationId === 'SUP-12',
    allowOrigin: async (_c, _conv, origin) => origin === siteOrigin,
  });
  router.add(att.routes);
  browser = await launchChromium();
});

test.after(async () => {
  await browser?.close();
  api.closeAllConnections();
  site.closeAllConnections();
  await Promise.all([new Promise((r) => api.close(r)), new Promise((r) => site.close(r))]);
  await rm(dir, { recursive: true, force: true });
});

/** Runs the widget's upload code in a page of `origin`. */
async function xhrUpload(origin: string, o: { bytes?: number; png?: boolean }) {
  const page = await browser.newPage();
  try {
    await page.goto(origin + '/');
    return await page.evaluate(
      ({ apiBase, png, bytes }) =>
        new Promise<{ status: number; body: string; progress: number; error: boolean }>((resolve) => {
          const body = png ? Uint8Array.from(atob(png), (c) => c.charCodeAt(0)) : new Uint8Array(bytes);
          const xhr = new XMLHttpRequest();
          let progress = 0;
          xhr.upload.onprogress = (e) => (progress = Math.max(progress, e.loaded));
          xhr.open('POST', `${apiBase}/v1/attachments?conversationId=SUP-12&name=${encodeURIComponent('shot.png')}`);
          xhr.setRequestHeader('Authorization', 'Bearer visitor-token');
          xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText, progress, error: false });
          xhr.onerror = () => resolve({ status: xhr.status, body: '', progress, error: true });
          xhr.send(new Blob([body]));
        }),
      { apiBase, png: o.png ? PNG : null, bytes: o.bytes ?? 0 },
    );
  } finally {
    await page.close();
  }
}

test('an allowed site uploads with XHR across origins and reads the 201', async () => {
  const r = await xhrUpload(siteOrigin, { png: true });
  assert.is(r.status, 201, r.body);
  assert.is(JSON.parse(r.body).attachment.mime, 'image/png');
});

test('a site off the allowlist cannot upload (the browser sees a network error)', async () => {
  const other = siteOrigin.replace('127.0.0.1', 'localhost');
  const r = await xhrUpload(other, { png: true });
  assert.ok(r.error, `expected a CORS failure, got ${r.status} ${r.body}`);
});

test('an 11 MiB file gets a readable 413 in the browser', async () => {
  const r = await xhrUpload(siteOrigin, { bytes: DEFAULT_MAX_UPLOAD_BYTES + 1024 * 1024 });
  assert.is(r.status, 413, `error=${r.error}`);
  assert.is(JSON.parse(r.body).error.code, 'too_large');
});

test.run();
