/**
 * Fuzzing the WhatsApp webhook (issue 10): the signature check on raw bytes, the delivery
 * schema, and the real `/whatsapp/<installationId>` endpoint of a running service. Meta's
 * deliveries are JSON from the internet; anyone can POST to the URL.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { anyJson, fc, fuzz, fuzzAsync, hostileString } from '../../../scripts/testing/fuzz.js';
import { InboundCall } from '../../protocol/webtrigger.js';
import { MAX_MESSAGE_CHARS } from '../../protocol/limits.js';
import { createLogger } from '../log.js';
import { startHarness, type Harness } from '../testing/harness.js';
import { WaDelivery } from './payload.js';
import { signHub, verifyHubSignature } from './signature.js';

const SITE = {
  projectKey: 'SUP',
  phoneNumberId: '1000001',
  accessToken: 'token-site-a-0123456789',
  appSecret: 'app-secret-site-a',
  verifyToken: 'verify-a-123',
};
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether any string in a JSON value holds half a surrogate pair. */
const hasLone = (v: unknown): boolean => (typeof v === 'string' ? LONE_SURROGATE.test(v) : v && typeof v === 'object' ? Object.values(v).some(hasLone) : false);

const body = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  anyJson(3).map((j) => Buffer.from(JSON.stringify(j) ?? '')),
);
const secret = fc.string({ minLength: 1, maxLength: 40 });

const U = suite('WhatsApp signature and payload');

U('X-Hub-Signature-256: any header is answered, the right one accepted (any hex case, outer spaces)', () => {
  const header = fc.oneof(
    fc.constant(undefined),
    hostileString(90),
    fc.array(hostileString(20), { maxLength: 3 }),
    fc.stringMatching(/^[0-9a-fA-F]{60,70}$/).map((h) => `sha256=${h}`),
  );
  fuzz(
    'whatsapp signature any header',
    [secret, body, header],
    (s, raw, h) => {
      const r = verifyHubSignature(s, raw, h);
      assert.ok(r.ok || ['missing', 'malformed', 'mismatch'].includes(r.reason));
      const good = signHub(s, raw);
      assert.ok(verifyHubSignature(s, raw, good).ok);
      assert.ok(verifyHubSignature(s, raw, ` sha256=${good.slice('sha256='.length).toUpperCase()} `).ok);
    },
    { runs: 1000 },
  );
});

U('X-Hub-Signature-256: a signature never opens a changed body or another secret', () => {
  fuzz(
    'whatsapp signature modified body',
    [secret, body, fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), secret],
    (s, raw, at, xor, append, other) => {
      const sig = signHub(s, raw);
      const changed = raw.length && !append ? Buffer.from(raw) : Buffer.concat([raw, Buffer.from([xor])]);
      if (raw.length && !append) changed[at % raw.length] = changed[at % raw.length]! ^ xor;
      assert.equal(verifyHubSignature(s, changed, sig), { ok: false, reason: 'mismatch' });
      if (other !== s) assert.not.ok(verifyHubSignature(other, raw, sig).ok);
    },
    { runs: 1000 },
  );
});

U('delivery schema: any JSON parses or is rejected, never throws', () => {
  fuzz(
    'whatsapp delivery schema',
    [anyJson(6)],
    (json) => {
      const r = WaDelivery.safeParse(json);
      assert.type(r.success, 'boolean');
    },
    { runs: 1000 },
  );
});

U.run();

// ---- the real endpoint ------------------------------------------------------------------

type Ctx = { h: Harness; lines: string[] };
const E = suite<Ctx>('WhatsApp webhook endpoint');
E.before(async (ctx) => {
  ctx.lines = [];
  // Attachments off: media are not fetched; the message text still becomes a conversation.start.
  ctx.h = await startHarness({ deps: { attachments: undefined, log: createLogger({ level: 'warn', write: (l) => ctx.lines.push(l) }) } });
  const r = await ctx.h.remote('whatsapp.put', SITE);
  assert.is(r.status, 200, JSON.stringify(r.body));
});
E.after(async (ctx) => {
  await ctx.h.close();
});

const waId = fc.stringMatching(/^[0-9]{6,20}$/);
const message = fc.record(
  {
    from: fc.oneof(waId, hostileString(10)),
    id: fc.oneof(fc.stringMatching(/^wamid\.[A-Za-z0-9]{1,40}$/), hostileString(20)),
    timestamp: fc.constantFrom('1764380000', 'x'),
    type: fc.constantFrom('text', 'image', 'document', 'sticker', 'reaction', 'unknown'),
    text: fc.record({
      body: fc.oneof(hostileString(200), fc.string({ minLength: MAX_MESSAGE_CHARS - 5, maxLength: MAX_MESSAGE_CHARS + 20, unit: 'grapheme' })),
    }),
    image: fc.record({ id: hostileString(20), mime_type: hostileString(20), caption: hostileString(50) }, { requiredKeys: ['id'] }),
    document: fc.record({ id: hostileString(20), filename: hostileString(50), caption: hostileString(50) }, { requiredKeys: ['id'] }),
  },
  { requiredKeys: ['from', 'id', 'type'] },
);
const delivery = fc.record({
  object: fc.constant('whatsapp_business_account'),
  entry: fc.array(
    fc.record({
      id: fc.constant('waba-1'),
      changes: fc.array(
        fc.record({
          field: fc.constant('messages'),
          value: fc.record({
            metadata: fc.record({ phone_number_id: fc.constantFrom(SITE.phoneNumberId, '999') }),
            contacts: fc.array(fc.record({ profile: fc.record({ name: hostileString(40) }), wa_id: waId }), { maxLength: 2 }),
            messages: fc.array(message, { maxLength: 3 }),
          }),
        }),
        { maxLength: 2 },
      ),
    }),
    { maxLength: 2 },
  ),
});

async function post(h: Harness, raw: string, installationId = h.installationId): Promise<{ status: number; body: any }> {
  const res = await fetch(`${h.service.url}/whatsapp/${installationId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signHub(SITE.appSecret, raw) },
    body: raw,
  });
  return { status: res.status, body: await res.json() };
}

E('signed deliveries of any shape get 200 or a reasoned 400, and every call to the app is schema-valid', async ({ h, lines }) => {
  const long = {
    object: 'x',
    entry: [
      {
        changes: [
          {
            value: {
              metadata: { phone_number_id: SITE.phoneNumberId },
              messages: [{ from: '4915112345678', id: 'wamid.long1', type: 'text', text: { body: '😀'.repeat(MAX_MESSAGE_CHARS) } }],
            },
          },
        ],
      },
    ],
  };
  await fuzzAsync(
    'whatsapp webhook signed deliveries',
    [fc.oneof(delivery, anyJson(4))],
    async (d) => {
      const before = h.app.calls.length;
      const r = await post(h, JSON.stringify(d));
      assert.ok(r.status === 200 || r.status === 400, `status ${r.status}: ${JSON.stringify(r.body)}`);
      if (r.status === 400) {
        assert.is(r.body.error.code, 'invalid');
        assert.ok(r.body.error.message.length <= 200);
      }
      for (const call of h.app.calls.slice(before)) {
        InboundCall.parse(call);
        if (call.type === 'conversation.start') assert.not.ok(LONE_SURROGATE.test(call.text) && !hasLone(d), 'the service cut a surrogate pair in half');
      }
    },
    {
      runs: 250,
      // Seen while writing this property: a text over the limit, clipped inside an emoji, reached the app with half a surrogate pair.
      examples: [[long]],
    },
  );
  assert.equal(
    lines.filter((l) => /"level":"error"/.test(l)),
    [],
    'no errors logged',
  );
});

E('unsigned or mis-signed bodies and hostile paths are refused without a 500', async ({ h }) => {
  const path = fc.oneof(
    fc.string({ maxLength: 20, unit: 'grapheme' }).map((s) => encodeURIComponent(s)),
    fc.constantFrom('%', '%E0%A4%A', '%ZZ', '..%2F..%2Fetc', 'cloud-a%00'),
  );
  await fuzzAsync(
    'whatsapp webhook hostile requests',
    [
      path,
      body,
      fc.option(
        hostileString(80).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
        { nil: undefined },
      ),
    ],
    async (p, raw, sig) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (sig !== undefined) headers['x-hub-signature-256'] = sig;
      const res = await fetch(`${h.service.url}/whatsapp/${p}`, { method: 'POST', headers, body: raw });
      const json = await res.json();
      assert.ok([400, 401, 403, 404, 413].includes(res.status), `status ${res.status} for /whatsapp/${p}: ${JSON.stringify(json)}`);
      assert.type(json.error?.message, 'string');
    },
    { runs: 200, examples: [['%E0%A4%A', Buffer.from('{}'), undefined]] },
  );
});

E.run();
