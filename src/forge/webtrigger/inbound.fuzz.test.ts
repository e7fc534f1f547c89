/**
 * Fuzzing the app's `inbound` webtrigger (issue 10): its URL is public, so anyone can POST.
 * The signature (protocol/signature.ts) must never accept a changed body, timestamp or
 * secret, and the handler must answer every request with a status and a reason: the
 * signature checked first, then JSON, then the InboundCall schema.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { anyJson, fc, fuzz, fuzzAsync, hostileString } from '../../../scripts/testing/fuzz.js';
import { sign, signedHeaders, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from '../../protocol/signature.js';
import { SIGNATURE_WINDOW_SEC } from '../../protocol/limits.js';
import { WebtriggerError } from '../../protocol/webtrigger.js';
import { startWorld, type World } from '../__fixtures__/world.js';
import { checkSignature } from './auth.js';

const NOW = Date.UTC(2026, 10, 29, 12);
const nowSec = Math.floor(NOW / 1000);
const secret = fc.string({ minLength: 1, maxLength: 64 });
const rawBody = fc.oneof(
  hostileString(200),
  anyJson(3).map((j) => JSON.stringify(j) ?? ''),
);

const U = suite('webtrigger signature');

U('verify answers any signature and timestamp strings with a reason, never a throw', () => {
  const header = fc.oneof(
    fc.constant(undefined),
    hostileString(80),
    fc.stringMatching(/^v1=[0-9a-f]{60,68}$/),
    fc.integer({ min: -1e12, max: 1e13 }).map(String),
  );
  fuzz(
    'webtrigger verify any headers',
    [secret, rawBody, header, header],
    (s, body, sig, ts) => {
      const r = verify({ secret: s, rawBody: body, signature: sig, timestamp: ts, nowMs: NOW });
      assert.ok(r.ok || ['missing', 'malformed', 'stale', 'mismatch'].includes(r.reason));
    },
    { runs: 1000 },
  );
});

U('a signature opens exactly its own body, timestamp and secret inside the window', () => {
  const change = fc.oneof(
    fc.record({ kind: fc.constant('body' as const), extra: hostileString(5).filter((x) => x.length > 0), at: fc.nat() }),
    fc.record({ kind: fc.constant('time' as const), delta: fc.integer({ min: -SIGNATURE_WINDOW_SEC, max: SIGNATURE_WINDOW_SEC }).filter((d) => d !== 0) }),
    fc.record({ kind: fc.constant('secret' as const), other: secret }),
  );
  fuzz(
    'webtrigger signature modified',
    [secret, rawBody, fc.integer({ min: -SIGNATURE_WINDOW_SEC, max: SIGNATURE_WINDOW_SEC }), change],
    (s, body, skew, c) => {
      const ts = nowSec + skew;
      const sig = sign(s, ts, body);
      assert.ok(verify({ secret: s, rawBody: body, signature: sig, timestamp: String(ts), nowMs: NOW }).ok, 'its own body opens');
      if (c.kind === 'body') {
        const i = c.at % (body.length + 1);
        const changed = body.slice(0, i) + c.extra + body.slice(i);
        assert.not.ok(verify({ secret: s, rawBody: changed, signature: sig, timestamp: String(ts), nowMs: NOW }).ok, 'a changed body');
      } else if (c.kind === 'time') {
        assert.not.ok(verify({ secret: s, rawBody: body, signature: sig, timestamp: String(ts + c.delta), nowMs: NOW }).ok, 'a changed timestamp');
      } else if (c.other !== s) {
        assert.not.ok(verify({ secret: c.other, rawBody: body, signature: sig, timestamp: String(ts), nowMs: NOW }).ok, 'another secret');
      }
    },
    { runs: 1500 },
  );
});

U('checkSignature takes headers in any shape Forge might pass (arrays, any case, missing)', () => {
  const value = fc.oneof(fc.constant(undefined), hostileString(70), fc.array(hostileString(70), { maxLength: 3 }));
  const headers = fc.option(
    fc.dictionary(
      fc.constantFrom(SIGNATURE_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER.toUpperCase(), 'X-JsmChat-Timestamp', 'content-type', '__proto__'),
      value,
    ),
    { nil: undefined },
  );
  fuzz(
    'webtrigger checkSignature any headers',
    [fc.array(secret, { maxLength: 2 }), rawBody, headers],
    (secrets, body, h) => {
      const r = checkSignature({ secrets, rawBody: body, headers: h as Record<string, string[] | string | undefined>, nowMs: NOW });
      if (r) assert.ok(['bad_signature', 'stale', 'not_configured'].includes(r.code) && r.message.length > 0);
    },
    { runs: 800 },
  );
});

U.run();

// ---- the real webtrigger, run by the local Forge host --------------------------------------

type Ctx = { w: World; url: string };
const E = suite<Ctx>('inbound webtrigger under fuzzing');
E.before(async (ctx) => {
  ctx.w = await startWorld();
  ctx.url = await ctx.w.host.webtriggerUrl('inbound');
});
E.after(async (ctx) => {
  await ctx.w.close();
});

/** Calls that pass the signature: junk, other JSON, and calls with a known type and wrong fields. */
const signedBody = fc.oneof(
  rawBody,
  fc
    .record(
      {
        type: fc.constantFrom('ping', 'conversation.start', 'message.customer', 'history', 'conversations.list', 'nope'),
        conversationId: fc.oneof(fc.constantFrom('SUP-999999', 'NOPE-1'), hostileString(12)),
        projectKey: fc.oneof(fc.constant('ZZZ'), hostileString(8)),
        customerAccountId: fc.oneof(fc.constant('acc-1'), hostileString(12)),
        clientMsgId: hostileString(12),
        text: anyJson(1),
        customer: anyJson(2),
      },
      { requiredKeys: ['type'] },
    )
    .map((b) => JSON.stringify(b)),
);

function assertAnswer(status: number, text: string, allowed: number[]): void {
  assert.ok(allowed.includes(status), `status ${status}: ${text.slice(0, 300)}`);
  const json = JSON.parse(text);
  if (status >= 400) {
    const e = WebtriggerError.parse(json);
    assert.ok(e.error.message.length > 0 && e.error.message.length <= 600, e.error.message);
  }
}

E('signed bodies of any shape are answered 200, 400, 403 or 404 with a reason, never 500', async ({ w, url }) => {
  await fuzzAsync(
    'inbound webtrigger signed bodies',
    [signedBody],
    async (raw) => {
      const res = await fetch(url, { method: 'POST', headers: signedHeaders(w.presence.secret!, raw), body: raw });
      const text = await res.text();
      // Jira's own refusal passes through as 502 jira_error with Jira's reason (e.g. JQL naming a
      // project that does not exist, as `conversations.list` for a deleted project would).
      if (res.status === 502) assert.is(JSON.parse(text).error.code, 'jira_error', text);
      else assertAnswer(res.status, text, [200, 400, 403, 404]);
    },
    { runs: 250 },
  );
});

E('unsigned, mis-signed and stale requests are 401 before anything is parsed', async ({ w, url }) => {
  const headers = fc.oneof(
    fc.constant({} as Record<string, string>),
    fc.record({
      [SIGNATURE_HEADER]: hostileString(70).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
      [TIMESTAMP_HEADER]: fc.oneof(
        fc.constant(String(Math.floor(Date.now() / 1000))),
        hostileString(12).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
      ),
    }),
    fc.tuple(secret, fc.integer({ min: 301, max: 10_000 })).map(([s, age]) => signedHeaders(s, '{"type":"ping"}', Date.now() - age * 1000)),
  );
  await fuzzAsync(
    'inbound webtrigger unsigned',
    [headers, rawBody],
    async (h, raw) => {
      const res = await fetch(url, { method: 'POST', headers: h, body: raw });
      assertAnswer(res.status, await res.text(), [401]);
    },
    { runs: 150 },
  );
  // And a rightly signed ping still works afterwards.
  assert.is((await fetch(url, { method: 'POST', headers: signedHeaders(w.presence.secret!, '{"type":"ping"}'), body: '{"type":"ping"}' })).status, 200);
});

E.run();
