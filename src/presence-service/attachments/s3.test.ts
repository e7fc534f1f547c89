import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { meta, runBlobStoreContract } from './blob-contract.js';
import { newAttachmentId } from './keys.js';
import type { LogLevel } from './ports.js';
import { LIFECYCLE_RULE_ID } from './s3.js';
import { startS3, type S3Harness } from './s3-harness.js';

runBlobStoreContract('s3 via s3rver', async () => {
  const s3 = await startS3();
  return { store: s3.store, cleanup: () => s3.close() };
});

let s3: S3Harness;
test.before(async () => {
  s3 = await startS3('lifecycle-test');
});
test.after(async () => {
  await s3.close();
});

test('s3: a presigned GET is served as an attachment with the given type', async () => {
  const key = `site-a/${newAttachmentId()}`;
  await s3.store.put(key, Buffer.from('%PDF-1.4 fake'), meta());
  const url = await s3.store.presignGet!(key, { filename: 'Bericht – März.pdf', ttlSec: 60, contentType: 'application/pdf' });
  assert.ok(url.startsWith(s3.endpoint), url);
  assert.match(url, /X-Amz-Expires=60/);
  const res = await fetch(url);
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="Bericht _ M_rz.pdf"; filename\*=UTF-8''Bericht%20%E2%80%93%20M%C3%A4rz.pdf$/);
  assert.is(res.headers.get('content-type'), 'application/pdf');
  assert.is(await res.text(), '%PDF-1.4 fake');
});

test('s3: presigned links never live longer than 300 s', async () => {
  const key = `site-a/${newAttachmentId()}`;
  const url = await s3.store.presignGet!(key, { filename: 'x.pdf', ttlSec: 3600 });
  assert.match(url, /X-Amz-Expires=300(&|$)/);
});

test('s3: where the server refuses the lifecycle rule, it is logged (without secrets) and start-up carries on', async () => {
  const lines: Array<{ level: LogLevel; msg: string; fields?: Record<string, unknown> }> = [];
  await s3.store.ensureLifecycle((level, msg, fields) => lines.push({ level, msg, fields }));
  assert.is(lines.length, 1);
  const [line] = lines;
  assert.is(line!.level, 'warn');
  const text = JSON.stringify(line);
  assert.match(text, LIFECYCLE_RULE_ID);
  assert.match(text, /"Days":7/);
  assert.match(text, /"Prefix":"attachments\/"/);
  assert.not.match(text, /S3RVER/); // the credentials
});

test.run();
