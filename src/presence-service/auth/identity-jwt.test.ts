import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SignJWT } from 'jose';
import { verifyIdentityJwt } from './identity-jwt.js';
import { IDENTITY_JWT_CLOCK_SKEW_SEC, MAX_IDENTITY_JWT_TTL_SEC } from '../../protocol/limits.js';

const SECRET = 'a-project-identity-secret-of-enough-length';
const NOW_MS = Date.UTC(2026, 10, 29, 12, 0, 0);
const NOW = NOW_MS / 1000;

function sign(claims: Record<string, unknown>, secret = SECRET): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
}
const base = { email: 'Ada@Example.com', name: ' Ada ' };

const J = suite('verifyIdentityJwt');

J('accepts {email, name, iat, exp} within the hour and normalises email and name', async () => {
  const r = await verifyIdentityJwt(await sign({ ...base, iat: NOW, exp: NOW + 600 }), SECRET, NOW_MS);
  assert.equal(r, { ok: true, identity: { email: 'ada@example.com', name: 'Ada' } });
});

J('name is optional', async () => {
  const r = await verifyIdentityJwt(await sign({ email: 'a@b.c', iat: NOW, exp: NOW + 60 }), SECRET, NOW_MS);
  assert.equal(r, { ok: true, identity: { email: 'a@b.c', name: null } });
});

const cases: [string, Record<string, unknown>, string][] = [
  ['a future iat with exp = iat + 3000 (the reported bypass)', { iat: NOW + 3600, exp: NOW + 6600 }, 'issued_in_future'],
  ['an iat just beyond the clock skew', { iat: NOW + IDENTITY_JWT_CLOCK_SKEW_SEC + 1, exp: NOW + 600 }, 'issued_in_future'],
  ['exp - iat over an hour', { iat: NOW, exp: NOW + MAX_IDENTITY_JWT_TTL_SEC + 1 }, 'too_long_lived'],
  ['an expired token', { iat: NOW - 700, exp: NOW - 100 }, 'expired'],
  ["a token without iat (the old guide's {email, name, exp})", { exp: NOW + 600 }, 'missing_claim'],
  ['a token without exp', { iat: NOW }, 'missing_claim'],
  ['exp not after iat', { iat: NOW + 10, exp: NOW + 10 }, 'malformed'],
  ['a string iat', { iat: String(NOW), exp: NOW + 600 }, 'malformed'],
];
for (const [name, claims, reason] of cases) {
  J(`refuses ${name}: ${reason}`, async () => {
    const r = await verifyIdentityJwt(await sign({ ...base, ...claims }), SECRET, NOW_MS);
    assert.equal(r, { ok: false, reason });
  });
}

J('a missing email is a missing claim; a bad one is malformed', async () => {
  assert.equal(await verifyIdentityJwt(await sign({ name: 'x', iat: NOW, exp: NOW + 60 }), SECRET, NOW_MS), { ok: false, reason: 'missing_claim' });
  assert.equal(await verifyIdentityJwt(await sign({ email: 'no at sign', iat: NOW, exp: NOW + 60 }), SECRET, NOW_MS), { ok: false, reason: 'malformed' });
});

J('a site clock a little ahead (within the skew) is tolerated', async () => {
  const iat = NOW + IDENTITY_JWT_CLOCK_SKEW_SEC;
  const r = await verifyIdentityJwt(await sign({ ...base, iat, exp: iat + 600 }), SECRET, NOW_MS);
  assert.ok(r.ok);
});

J('another secret, another algorithm or "none" are refused', async () => {
  assert.equal(await verifyIdentityJwt(await sign({ ...base, iat: NOW, exp: NOW + 60 }, 'another-secret-of-enough-length-0123'), SECRET, NOW_MS), {
    ok: false,
    reason: 'bad_signature',
  });
  const hs512 = await new SignJWT({ ...base, iat: NOW, exp: NOW + 60 }).setProtectedHeader({ alg: 'HS512' }).sign(new TextEncoder().encode(SECRET));
  assert.equal(await verifyIdentityJwt(hs512, SECRET, NOW_MS), { ok: false, reason: 'malformed' });
  const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...base, iat: NOW, exp: NOW + 60 })).toString('base64url')}.`;
  assert.equal(await verifyIdentityJwt(none, SECRET, NOW_MS), { ok: false, reason: 'malformed' });
});

J.run();
