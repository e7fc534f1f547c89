import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SignJWT } from 'jose';
import { startHarness, type Harness } from '../testing/harness.js';
import { connect } from '../testing/client.js';

const Auth = suite<{ h: Harness }>('customer auth');
Auth.before(async (ctx) => {
  ctx.h = await startHarness({ limits: { authTimeoutMs: 300 } });
});
Auth.after(async (ctx) => ctx.h.close());

Auth('issues a visitor token on first contact and reuses it on return', async ({ h }) => {
  const a = await h.customer();
  assert.type(a.authOk.token, 'string');
  assert.ok(a.authOk.token.length >= 32);
  assert.equal(a.authOk.customer, { name: null, email: null, verified: false });
  assert.is(a.authOk.availability.state, 'offline');
  const b = await h.customer({ auth: { token: a.authOk.token } });
  assert.is(b.authOk.token, undefined);
  await a.close();
  await b.close();
});

Auth('an unknown token gets a fresh one', async ({ h }) => {
  const a = await h.customer({ auth: { token: 'x'.repeat(32) } });
  assert.type(a.authOk.token, 'string');
  assert.is.not(a.authOk.token, 'x'.repeat(32));
  await a.close();
});

Auth('refuses an unknown widget with not_found and 1008', async ({ h }) => {
  const c = await h.customer({ auth: null });
  c.send({ type: 'auth', widgetId: 'w_doesnotexist00' });
  const e = await c.next('error');
  assert.is(e.code, 'not_found');
  assert.is((await c.closed).code, 1008);
});

Auth('refuses a website not in allowedOrigins with origin_not_allowed and 1008', async ({ h }) => {
  const c = await h.customer({ origin: 'https://evil.example', auth: null });
  c.send({ type: 'auth', widgetId: h.widgetId });
  assert.is((await c.next('error')).code, 'origin_not_allowed');
  assert.is((await c.closed).code, 1008);
});

Auth('refuses the handshake itself when ?widgetId= names a widget the origin may not use', async ({ h }) => {
  const err = await connect(`${h.service.wsUrl}/ws/customer?widgetId=${h.widgetId}`, { origin: 'https://evil.example' }).then(
    () => null,
    (e: Error) => e,
  );
  assert.match(String(err?.message), /HTTP 403/);
  const ok = await connect(`${h.service.wsUrl}/ws/customer?widgetId=${h.widgetId}`, { origin: 'https://shop.example' });
  await ok.close();
});

Auth('closes with 1008 when no auth frame arrives in time', async ({ h }) => {
  const c = await h.customer({ auth: null });
  assert.is((await c.closed).code, 1008);
  assert.is(c.frames.at(-1)?.code, 'unauthenticated');
});

Auth('closes with 1008 when the first frame is not auth', async ({ h }) => {
  const c = await h.customer({ auth: null });
  c.send({ type: 'ping' });
  assert.is((await c.next('error')).code, 'unauthenticated');
  assert.is((await c.closed).code, 1008);
});

Auth.run();

// ---- identity JWT -----------------------------------------------------------------

const Jwt = suite<{ h: Harness; secret: string }>('customer identity JWT');
Jwt.before(async (ctx) => {
  ctx.h = await startHarness();
  await ctx.h.projectConfig({ verification: 'required' });
  ctx.secret = (await ctx.h.remote('project-config.rotate-secret', { projectKey: 'SUP' })).body.secret;
});
Jwt.after(async (ctx) => ctx.h.close());

async function jwt(secret: string, o: { iat?: number; exp?: number; email?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ email: o.email ?? 'ada@example.com', name: 'Ada' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(o.iat ?? now)
    .setExpirationTime(o.exp ?? now + 600)
    .sign(new TextEncoder().encode(secret));
}

Jwt('accepts a valid identity JWT and marks the customer verified', async ({ h, secret }) => {
  const c = await h.customer({ auth: { jwt: await jwt(secret) } });
  assert.equal(c.authOk.customer, { name: 'Ada', email: 'ada@example.com', verified: true });
  await c.close();
});

Jwt('the project config never reveals the identity secret', async ({ h, secret }) => {
  const r = await h.remote('project-config.get', { projectKey: 'SUP' });
  assert.is(r.body.config.hasIdentitySecret, true);
  assert.not.ok(JSON.stringify(r.body).includes(secret));
});

for (const [name, make] of [
  ['an expired JWT', (s: string) => jwt(s, { iat: Math.floor(Date.now() / 1000) - 1000, exp: Math.floor(Date.now() / 1000) - 100 })],
  ['a JWT living longer than an hour', (s: string) => jwt(s, { exp: Math.floor(Date.now() / 1000) + 7200 })],
  [
    'a JWT issued an hour in the future (exp = iat + 3000)',
    (s: string) => jwt(s, { iat: Math.floor(Date.now() / 1000) + 3600, exp: Math.floor(Date.now() / 1000) + 6600 }),
  ],
  ['a JWT signed with another secret', (_s: string) => jwt('another-secret-of-enough-length-0123456789')],
] as const) {
  Jwt(`required mode refuses ${name} with verification_required`, async ({ h, secret }) => {
    const c = await h.customer({ auth: null });
    c.send({ type: 'auth', widgetId: h.widgetId, jwt: await make(secret) });
    assert.is((await c.next('error')).code, 'verification_required');
    assert.is((await c.closed).code, 1008);
  });
}

Jwt('required mode refuses an anonymous visitor', async ({ h }) => {
  const c = await h.customer({ auth: null });
  c.send({ type: 'auth', widgetId: h.widgetId });
  assert.is((await c.next('error')).code, 'verification_required');
});

Jwt('report mode lets a bad JWT in as an unverified visitor', async ({ h, secret }) => {
  await h.projectConfig({ verification: 'report' });
  const c = await h.customer({ auth: { jwt: await jwt('another-secret-of-enough-length-0123456789') } });
  assert.is(c.authOk.customer.verified, false);
  await c.close();
  await h.projectConfig({ verification: 'required' });
  void secret;
});

Jwt.run();
