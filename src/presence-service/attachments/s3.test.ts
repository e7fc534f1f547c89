/**
 * The S3 adapter: the blob contract against s3rver, then what is S3's own (presigned
 * links, the lifecycle rule).
 *
 * s3rver answers PutBucketLifecycleConfiguration with NotImplemented, so the request the
 * service sends is checked against a fake endpoint and the documented shape instead
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html):
 * `PUT /<bucket>?lifecycle`, an integrity header (Content-MD5, or an x-amz-checksum-* header
 * the SDK may send instead), and a `LifecycleConfiguration` of `Rule`s with `ID`, `Filter/Prefix`,
 * `Status` and `Expiration/Days`. Rules of others in the bucket are kept. The hourly sweeper
 * stays the guarantee (sweeper.test.ts); this rule is the cheap extra.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { handled } from '../../../scripts/testing/http.js';
import type { LogLevel } from '../config.js';
import { meta, runBlobStoreContract } from './blob-contract.js';
import { newAttachmentId } from './blob-store.js';
import { createS3BlobStore, LIFECYCLE_RULE_ID } from './s3.js';
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
  assert.match(
    res.headers.get('content-disposition') ?? '',
    /^attachment; filename="Bericht _ M_rz.pdf"; filename\*=UTF-8''Bericht%20%E2%80%93%20M%C3%A4rz.pdf$/,
  );
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

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

async function fakeS3(existing: string | null) {
  const seen: Seen[] = [];
  const server = createServer(
    handled(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.setHeader('content-type', 'application/xml');
      if (req.method === 'GET' && existing === null) {
        res
          .writeHead(404)
          .end(
            '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchLifecycleConfiguration</Code><Message>The lifecycle configuration does not exist</Message></Error>',
          );
      } else if (req.method === 'GET') {
        res
          .writeHead(200)
          .end(
            `<?xml version="1.0" encoding="UTF-8"?><LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${existing}</LifecycleConfiguration>`,
          );
      } else res.writeHead(200).end();
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const store = createS3BlobStore({
    bucket: 'chat-files',
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    streamChecksums: 'WHEN_REQUIRED',
  });
  return { seen, store, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The text of every `<tag>` directly or deeply inside `xml`, in order. */
const all = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);

test('the lifecycle request has the documented shape: PUT ?lifecycle, an integrity header, one rule expiring attachments/ after 7 days', async () => {
  const s3 = await fakeS3(null);
  try {
    const lines: string[] = [];
    await s3.store.ensureLifecycle((level, msg) => lines.push(`${level} ${msg}`));
    const put = s3.seen.find((r) => r.method === 'PUT')!;
    assert.ok(put, 'a PUT was sent');
    const url = new URL(put.url, 'http://x');
    assert.match(url.pathname, /^\/chat-files\/?$/); // path style: the bucket is the path
    assert.ok(url.searchParams.has('lifecycle'));
    const md5 = put.headers['content-md5'];
    const checksum = Object.keys(put.headers).find((h) => h.startsWith('x-amz-checksum-'));
    assert.ok(md5 || checksum, 'Content-MD5 or an x-amz-checksum-* header');
    if (md5) assert.is(md5, createHash('md5').update(put.body).digest('base64'));
    assert.match(put.body, /<LifecycleConfiguration xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/">/);
    const rules = all(put.body, 'Rule');
    assert.is(rules.length, 1);
    const rule = rules[0]!;
    assert.equal(all(rule, 'ID'), [LIFECYCLE_RULE_ID]);
    assert.equal(all(rule, 'Status'), ['Enabled']);
    assert.equal(all(all(rule, 'Filter')[0]!, 'Prefix'), ['attachments/']);
    assert.equal(all(all(rule, 'Expiration')[0]!, 'Days'), ['7']);
    assert.ok(
      lines.some((l) => l.startsWith('info ')),
      'success is logged',
    );
  } finally {
    await s3.close();
  }
});

test("the bucket's other lifecycle rules are kept, ours replaced", async () => {
  const other = '<Rule><ID>logs-30d</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule>';
  const ours = `<Rule><ID>${LIFECYCLE_RULE_ID}</ID><Filter><Prefix>attachments/</Prefix></Filter><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>`;
  const s3 = await fakeS3(other + ours);
  try {
    await s3.store.ensureLifecycle(() => {});
    const put = s3.seen.find((r) => r.method === 'PUT')!;
    const rules = all(put.body, 'Rule');
    assert.equal(
      rules.map((r) => all(r, 'ID')[0]),
      ['logs-30d', LIFECYCLE_RULE_ID],
    );
    assert.equal(all(rules[1]!, 'Status'), ['Enabled']);
    assert.equal(all(rules[0]!, 'Days'), ['30']);
  } finally {
    await s3.close();
  }
});

test.run();
