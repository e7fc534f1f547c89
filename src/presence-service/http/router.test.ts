/**
 * The one router and its error boundary: first on its own (routes of a test), then the
 * service's whole HTTP surface with its exact statuses.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ServiceError } from '../errors.js';
import { createLogger } from '../log.js';
import { startHarness, type Harness } from '../testing/harness.js';
import { createRouter } from './router.js';

const R = suite<{ server: Server; base: string; lines: string[] }>('router and error boundary', { lines: [] } as never);
R.before(async (ctx) => {
  ctx.lines = [];
  const router = createRouter(createLogger({ level: 'debug', write: (l) => ctx.lines.push(l) }));
  router.add([
    { method: 'GET', path: '/ok/:id', handler: (_req, res, p) => void res.end(`id=${p.id}`) },
    { method: ['GET', 'POST'], path: '/refused', handler: () => Promise.reject(new ServiceError('rate_limited', 'slow down')) },
    {
      method: 'GET',
      path: '/bug',
      handler: () => {
        throw new Error('db password is hunter2');
      },
    },
    { method: 'GET', path: '/files/*', handler: (_req, res, p) => void res.end(p['*']) },
  ]);
  ctx.server = createServer((req, res) => void router.handle(req, res));
  await new Promise<void>((r) => ctx.server.listen(0, '127.0.0.1', r));
  ctx.base = `http://127.0.0.1:${(ctx.server.address() as AddressInfo).port}`;
});
R.after(async (ctx) => {
  ctx.server.closeAllConnections();
  await new Promise((r) => ctx.server.close(r));
});

R('parameters arrive percent-decoded', async ({ base }) => {
  assert.is(await (await fetch(`${base}/ok/a%20b%2Fc`)).text(), 'id=a b/c');
  assert.is(await (await fetch(`${base}/files/x/%C3%A4.js`)).text(), 'x/ä.js');
});

R('a ServiceError is answered with its own status and JSON body', async ({ base }) => {
  const res = await fetch(`${base}/refused`);
  assert.is(res.status, 429);
  assert.equal(await res.json(), { error: { code: 'rate_limited', message: 'slow down' } });
});

R('anything else is a 500 that tells nothing, and is logged', async ({ base, lines }) => {
  const res = await fetch(`${base}/bug`);
  assert.is(res.status, 500);
  const text = await res.text();
  assert.equal(JSON.parse(text), { error: { code: 'internal', message: 'internal error' } });
  assert.not.match(text, /hunter2/);
  assert.ok(
    lines.some((l) => /"event":"http.failed"/.test(l)),
    'logged',
  );
});

R('a malformed escape is 400 bad_url on a known path, an unknown path, and for a method with no routes', async ({ base }) => {
  for (const [method, path] of [
    ['GET', '/ok/%E0'],
    ['GET', '/nowhere/%E0%A4%A'],
    ['PUT', '/ok/%ZZ'],
    ['GET', '/files/%E0'],
  ] as const) {
    const res = await fetch(base + path, { method });
    assert.is(res.status, 400, `${method} ${path}`);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.is(body.error.code, 'bad_url');
    assert.match(body.error.message, /percent-encoding/);
  }
});

R('unknown path 404; known path, other method 405 with Allow', async ({ base }) => {
  const unknown = await fetch(`${base}/nowhere`);
  assert.is(unknown.status, 404);
  assert.is(((await unknown.json()) as { error: { code: string } }).error.code, 'not_found');
  const wrong = await fetch(`${base}/refused`, { method: 'DELETE' });
  assert.is(wrong.status, 405);
  assert.is(wrong.headers.get('allow'), 'GET, POST');
  assert.is(((await wrong.json()) as { error: { code: string } }).error.code, 'method_not_allowed');
});

R.run();

// ---- the service's HTTP surface ---------------------------------------------------------

const S = suite<{ h: Harness; widgetDir: string }>('the service routes every HTTP path through the router');
S.before(async (ctx) => {
  ctx.widgetDir = await mkdtemp(join(tmpdir(), 'widget-build-'));
  await writeFile(join(ctx.widgetDir, 'widget.js'), 'console.log(1)');
  ctx.h = await startHarness({ env: { METRICS: 'true' }, deps: { attachments: undefined, widgetDir: ctx.widgetDir } });
});
S.after(async (ctx) => {
  await ctx.h?.close();
  await rm(ctx.widgetDir, { recursive: true, force: true });
});

async function status(url: string, init: RequestInit = {}): Promise<{ status: number; allow: string | null; code?: string }> {
  const res = await fetch(url, init);
  const text = await res.text();
  const code = /json/.test(res.headers.get('content-type') ?? '') && text ? (JSON.parse(text) as { error?: { code?: string } }).error?.code : undefined;
  return { status: res.status, allow: res.headers.get('allow'), ...(code ? { code } : {}) };
}

S('each route answers its exact status', async ({ h }) => {
  const u = h.service.url;
  assert.equal(await status(`${u}/healthz`), { status: 200, allow: null });
  assert.equal(await status(`${u}/readyz`), { status: 200, allow: null });
  assert.is((await status(`${u}/metrics`)).status, 200);
  assert.is((await status(`${u}/widget.js`)).status, 200);
  assert.equal(await status(`${u}/widget/none.js`), { status: 404, allow: null, code: 'not_found' });
  assert.equal(await status(`${u}/widget/..%2F..%2Fpackage.json`), { status: 404, allow: null, code: 'not_found' });
  assert.equal(await status(`${u}/forge/v1/link`, { method: 'POST', body: '{}' }), { status: 401, allow: null, code: 'unauthenticated' });
  assert.equal(await status(`${u}/forge/v1/launch`, { method: 'POST', body: '{}' }), { status: 404, allow: null, code: 'not_found' });
  assert.equal(await status(`${u}/whatsapp/cloud-a`), { status: 403, allow: null, code: 'forbidden' });
  assert.equal(await status(`${u}/whatsapp/cloud-a`, { method: 'POST', body: '{}' }), { status: 404, allow: null, code: 'not_configured' });
  assert.equal(await status(`${u}/whatsapp/not%20an%20id`), { status: 404, allow: null, code: 'not_found' });
  assert.equal(await status(`${u}/v1/attachments`, { method: 'POST', body: 'x' }), { status: 401, allow: null, code: 'unauthenticated' });
  assert.equal(await status(`${u}/v1/files/AAAAAAAAAAAAAAAAAAAAAA`), { status: 403, allow: null, code: 'bad_signature' });
});

S('wrong methods are 405 with the methods the path has', async ({ h }) => {
  const u = h.service.url;
  assert.equal(await status(`${u}/healthz`, { method: 'POST' }), { status: 405, allow: 'GET, HEAD', code: 'method_not_allowed' });
  assert.equal(await status(`${u}/forge/v1/link`), { status: 405, allow: 'POST', code: 'method_not_allowed' });
  assert.equal(await status(`${u}/whatsapp/cloud-a`, { method: 'PUT' }), { status: 405, allow: 'GET, POST', code: 'method_not_allowed' });
  assert.equal(await status(`${u}/widget.js`, { method: 'DELETE' }), { status: 405, allow: 'GET, HEAD', code: 'method_not_allowed' });
  assert.equal(await status(`${u}/v1/attachments/AAAAAAAAAAAAAAAAAAAAAA`, { method: 'DELETE' }), {
    status: 405,
    allow: 'GET, HEAD, OPTIONS',
    code: 'method_not_allowed',
  });
});

S('an unknown path is 404, and %E0 in any path is 400 bad_url', async ({ h }) => {
  const u = h.service.url;
  assert.equal(await status(`${u}/nope`), { status: 404, allow: null, code: 'not_found' });
  for (const [method, path] of [
    ['POST', '/forge/v1/%E0'],
    ['GET', '/whatsapp/%E0'],
    ['GET', '/widget/%E0.js'],
    ['GET', '/v1/attachments/%E0'],
    ['GET', '/v1/files/%E0'],
    ['GET', '/nope/%E0'],
  ] as const) {
    assert.equal(
      await status(u + path, { method, ...(method === 'POST' ? { body: '{}' } : {}) }),
      { status: 400, allow: null, code: 'bad_url' },
      `${method} ${path}`,
    );
  }
});

S.run();
