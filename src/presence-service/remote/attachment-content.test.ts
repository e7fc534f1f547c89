import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AttachmentsPort } from '../attachments-port.js';
import { createDiskBlobStore } from '../attachments/disk.js';
import { createAttachments } from '../attachments/service.js';
import { startHarness, type Harness } from '../testing/harness.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const A = suite<{ h: Harness; att: AttachmentsPort; dir: string; now: { t: number } }>('Forge Remote attachment-content (the app copies chat files into Jira)');
A.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'att-content-'));
  ctx.now = { t: Date.now() };
  ctx.h = await startHarness({
    deps: {
      attachments: (host) =>
        (ctx.att = createAttachments({
          blobs: createDiskBlobStore({ dir: ctx.dir }),
          publicUrl: 'http://127.0.0.1:1',
          maxUploadBytes: 10 * 1024 * 1024,
          signingKey: Buffer.alloc(32, 3),
          clock: () => ctx.now.t,
          authenticate: host.authenticate,
          mayAccess: host.mayAccess,
        })),
    },
  });
});
A.after(async (ctx) => {
  await ctx.h.close();
  rmSync(ctx.dir, { recursive: true, force: true });
});

async function content(h: Harness, body: unknown, token?: string) {
  const t = token ?? (await h.forge.sign({ installationId: 'cloud-a' }));
  return fetch(`${h.service.url}/forge/v1/attachment-content`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

A('the app backend gets the bytes, sniffed type and name of a file of the conversation', async ({ h, att }) => {
  const stored = await att.storeBuffer({ installationId: 'cloud-a', conversationId: 'SUP-7', name: 'Bild ü.png', bytes: PNG, uploader: 'agent' });
  assert.ok(stored.ok);
  if (!stored.ok) return;
  const res = await content(h, { conversationId: 'SUP-7', attachmentId: stored.attachment.id });
  assert.is(res.status, 200);
  assert.is(res.headers.get('content-type'), 'image/png');
  assert.is(decodeURIComponent(res.headers.get('x-attachment-name') ?? ''), 'Bild ü.png');
  assert.equal(Buffer.from(await res.arrayBuffer()), PNG);
  // Another conversation's id, another installation, or a page's token: nothing.
  assert.is((await content(h, { conversationId: 'SUP-8', attachmentId: stored.attachment.id })).status, 404);
  // Another installation sees no such file: as everywhere in attachments/, a well-formed unknown id reads as expired.
  assert.is((await content(h, { conversationId: 'SUP-7', attachmentId: stored.attachment.id }, await h.forge.sign({ installationId: 'cloud-b' }))).status, 410);
  const page = await h.forge.sign({ installationId: 'cloud-a', accountId: 'agent-1' });
  assert.is((await content(h, { conversationId: 'SUP-7', attachmentId: stored.attachment.id }, page)).status, 403);
  assert.is((await content(h, { conversationId: 'SUP-7', attachmentId: 'x' })).status, 400);
  const noFit = await fetch(`${h.service.url}/forge/v1/attachment-content`, { method: 'POST', body: '{}' });
  assert.is(noFit.status, 401);
});

A('past 7 days the answer is 410 expired', async ({ h, att, now }) => {
  const stored = await att.storeBuffer({ installationId: 'cloud-a', conversationId: 'SUP-9', name: 'old.png', bytes: PNG, uploader: 'customer' });
  if (!stored.ok) return assert.unreachable('not stored');
  now.t += 7 * 24 * 3600 * 1000 + 1;
  const res = await content(h, { conversationId: 'SUP-9', attachmentId: stored.attachment.id });
  assert.is(res.status, 410);
  assert.is((await res.json()).error.code, 'expired');
});

A.run();
