import * as assert from 'uvu/assert';
import { SEED_API_TOKEN } from './limits.js';
import { ADA, ALICE, call, newRequest, siteSuite } from './test-support.js';
import type { JsmStandin } from './types.js';

const at = siteSuite('request attachments (attachTemporaryFile + request/{key}/attachment)');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

function basic(email: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${email}:${SEED_API_TOKEN}`).toString('base64')}` };
}

async function upload(
  jsm: JsmStandin,
  headers: Record<string, string>,
  files: { name: string; bytes: Buffer; type: string }[],
  field = 'file',
  serviceDeskId = '1',
) {
  const form = new FormData();
  for (const f of files) form.append(field, new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
  const res = await fetch(`${jsm.url}/rest/servicedeskapi/servicedesk/${serviceDeskId}/attachTemporaryFile`, {
    method: 'POST',
    headers: { accept: 'application/json', ...headers },
    body: form,
  });
  return { status: res.status, json: (await res.json()) as any };
}

const NO_CHECK = { 'X-Atlassian-Token': 'no-check' };

at('an agent uploads a temporary file and attaches it to the request: a real attachment whose content is the bytes', async ({ site }) => {
  const { key } = await newRequest(site.jsm, 'Files');
  const tmp = await upload(site.jsm, { ...basic(ALICE), ...NO_CHECK }, [{ name: 'shot.png', bytes: PNG, type: 'image/png' }]);
  assert.is(tmp.status, 201);
  assert.is(tmp.json.temporaryAttachments.length, 1);
  assert.is(tmp.json.temporaryAttachments[0].fileName, 'shot.png');
  const id = tmp.json.temporaryAttachments[0].temporaryAttachmentId as string;
  const r = await call(site.jsm, 'POST', `/rest/servicedeskapi/request/${key}/attachment`, {
    email: ALICE,
    body: { temporaryAttachmentIds: [id], public: true },
  });
  assert.is(r.status, 201, JSON.stringify(r.json));
  const v = r.json.attachments.values[0];
  assert.is(v.filename, 'shot.png');
  assert.is(v.size, PNG.length);
  assert.is(v.mimeType, 'image/png');
  const content = await fetch(v._links.content, { headers: basic(ALICE) });
  assert.is(content.status, 200);
  assert.equal(Buffer.from(await content.arrayBuffer()), PNG);
  const meta = await call(site.jsm, 'GET', new URL(v._links.jiraRest).pathname, { email: ALICE });
  assert.is(meta.json.filename, 'shot.png');
  const list = await call(site.jsm, 'GET', `/rest/servicedeskapi/request/${key}/attachment`, { email: ALICE });
  assert.equal(
    list.json.values.map((x: any) => x.filename),
    ['shot.png'],
  );
  const issue = await call(site.jsm, 'GET', `/rest/api/3/issue/${key}?fields=attachment`, { email: ALICE });
  assert.equal(
    issue.json.fields.attachment.map((x: any) => [x.filename, x.size, x.content]),
    [['shot.png', PNG.length, v._links.content]],
  );
  // A temporary id is used once.
  const again = await call(site.jsm, 'POST', `/rest/servicedeskapi/request/${key}/attachment`, {
    email: ALICE,
    body: { temporaryAttachmentIds: [id], public: true },
  });
  assert.is(again.status, 400);
});

at('without X-Atlassian-Token: no-check the multipart upload is blocked (XSRF)', async ({ site }) => {
  const r = await upload(site.jsm, basic(ALICE), [{ name: 'a.png', bytes: PNG, type: 'image/png' }]);
  assert.is(r.status, 403);
});

at('the multipart parameter must be named "file"; several files give several temporary ids', async ({ site }) => {
  const wrong = await upload(site.jsm, { ...basic(ALICE), ...NO_CHECK }, [{ name: 'a.png', bytes: PNG, type: 'image/png' }], 'attachment');
  assert.is(wrong.status, 400);
  const two = await upload(site.jsm, { ...basic(ALICE), ...NO_CHECK }, [
    { name: 'a.png', bytes: PNG, type: 'image/png' },
    { name: 'b.txt', bytes: Buffer.from('hi'), type: 'text/plain' },
  ]);
  assert.is(two.status, 201);
  assert.equal(
    two.json.temporaryAttachments.map((t: any) => t.fileName),
    ['a.png', 'b.txt'],
  );
});

at('an unknown service desk is 404; a temporary file of another desk cannot be attached', async ({ site }) => {
  const none = await upload(site.jsm, { ...basic(ADA), ...NO_CHECK }, [{ name: 'a.png', bytes: PNG, type: 'image/png' }], 'file', '999');
  assert.is(none.status, 404);
  const { key } = await newRequest(site.jsm, 'Desk check');
  const hr = await upload(site.jsm, { ...basic(ADA), ...NO_CHECK }, [{ name: 'a.png', bytes: PNG, type: 'image/png' }], 'file', '2');
  assert.is(hr.status, 201);
  const r = await call(site.jsm, 'POST', `/rest/servicedeskapi/request/${key}/attachment`, {
    email: ADA,
    body: { temporaryAttachmentIds: [hr.json.temporaryAttachments[0].temporaryAttachmentId], public: true },
  });
  assert.is(r.status, 400);
});

at('the body needs temporaryAttachmentIds and public; the app may attach (as itself)', async ({ site }) => {
  const { key } = await newRequest(site.jsm, 'Body check');
  const empty = await call(site.jsm, 'POST', `/rest/servicedeskapi/request/${key}/attachment`, {
    email: ALICE,
    body: { temporaryAttachmentIds: [], public: true },
  });
  assert.is(empty.status, 400);
  const noPublic = await call(site.jsm, 'POST', `/rest/servicedeskapi/request/${key}/attachment`, { email: ALICE, body: { temporaryAttachmentIds: ['x'] } });
  assert.is(noPublic.status, 400);
  const app = site.jsm.hostAuthHeaders({ type: 'app' });
  const tmp = await upload(site.jsm, { ...app, ...NO_CHECK }, [{ name: 'a.png', bytes: PNG, type: 'image/png' }]);
  assert.is(tmp.status, 201);
  const r = await call(site.jsm, 'POST', `/rest/servicedeskapi/request/${key}/attachment`, {
    headers: app,
    body: { temporaryAttachmentIds: [tmp.json.temporaryAttachments[0].temporaryAttachmentId], public: true },
  });
  assert.is(r.status, 201);
  const missing = await call(site.jsm, 'POST', '/rest/servicedeskapi/request/SUP-9999/attachment', {
    headers: app,
    body: { temporaryAttachmentIds: ['x'], public: true },
  });
  assert.is(missing.status, 404);
});

at.run();
