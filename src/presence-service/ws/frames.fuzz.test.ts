/**
 * Fuzzing the WebSocket frame parser (issue 10): every customer and agent frame the service
 * reads goes through parseFrame with the shared schemas (protocol/customer-ws.ts,
 * agent-ws.ts). Whatever arrives, the answer is a frame or a reasoned rejection, and the
 * rejection never carries what the client sent.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { anyJson, fc, fuzz, hostileString } from '../../../scripts/testing/fuzz.js';
import { AgentClientFrame } from '../../protocol/agent-ws.js';
import { CustomerClientFrame, parseMessageSendFast } from '../../protocol/customer-ws.js';
import { MAX_MESSAGE_CHARS } from '../../protocol/limits.js';
import { frameTypes, parseFrame, type FrameResult } from './frames.js';

const CUSTOMER_TYPES = frameTypes(CustomerClientFrame);
const AGENT_TYPES = frameTypes(AgentClientFrame);
/** Rejections are short: a field path and what it expects. */
const MAX_REJECTION_CHARS = 200;
/**
 * Put into every string and key of a hostile frame: it must never come back in a rejection.
 * Not an identifier (the `~`): a rejection may name a key shaped like a field name
 * (protocol/issues.ts), which is at most 32 characters of [A-Za-z0-9_].
 */
const MARK = 'Zq9~MARK';

const alnum = (min: number, max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9]{${min},${max}}$`));
const convId = fc.tuple(fc.stringMatching(/^[A-Z][A-Z0-9]{1,5}$/), fc.integer({ min: 1, max: 99999 })).map(([k, n]) => `${k}-${n}`);
const clientMsgId = fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/);
const text = fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' }).filter((t) => t.trim().length > 0);

/** Frames the schemas must accept (so the fuzzing below mutates something realistic). */
const customerFrame = fc.oneof(
  fc.record(
    {
      type: fc.constant('auth'),
      widgetId: alnum(10, 40).map((s) => `w_${s}`),
      token: fc.option(alnum(20, 60), { nil: undefined }),
      timeZone: fc.option(fc.constantFrom('Europe/Berlin', 'UTC', 'x'), { nil: undefined }),
    },
    { requiredKeys: ['type', 'widgetId'] },
  ),
  fc.record(
    {
      type: fc.constant('conversation.start'),
      clientMsgId,
      text,
      prechat: fc.record({ name: fc.constantFrom('Ada', ' Bo '), email: fc.constantFrom('a@b.example') }, { requiredKeys: [] }),
      offline: fc.boolean(),
    },
    { requiredKeys: ['type', 'clientMsgId', 'text'] },
  ),
  fc.record({ type: fc.constant('message.send'), conversationId: convId, clientMsgId, text }),
  fc.record({ type: fc.constant('attachment.send'), conversationId: convId, clientMsgId, attachmentId: fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/) }),
  fc.record({ type: fc.constant('typing'), conversationId: convId, on: fc.boolean() }),
  fc.record({ type: fc.constant('seen'), conversationId: convId, messageId: alnum(1, 20) }),
  fc.record(
    { type: fc.constant('history'), conversationId: convId, before: fc.option(alnum(1, 20), { nil: undefined }) },
    { requiredKeys: ['type', 'conversationId'] },
  ),
  fc.constant({ type: 'ping' }),
);
const agentFrame = fc.oneof(
  fc.record({ type: fc.constant('auth'), ticket: alnum(20, 80) }),
  fc.record({ type: fc.constantFrom('watch', 'unwatch'), conversationId: convId }),
  fc.record({ type: fc.constant('watch.project'), projectKey: fc.stringMatching(/^[A-Z][A-Z0-9]{1,5}$/) }),
  fc.record(
    { type: fc.constant('typing'), conversationId: convId, on: fc.boolean(), name: fc.constantFrom('Dana', ' Eve ') },
    { requiredKeys: ['type', 'conversationId', 'on'] },
  ),
  fc.record({ type: fc.constant('status.set'), projectKey: fc.constant('SUP'), status: fc.constantFrom('online', 'away', 'offline') }),
  fc.constant({ type: 'ping' }),
);

/** A valid frame with one field replaced, added or removed: the near misses a buggy or hostile client sends. */
function mutate(frame: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(frame, fc.nat(), anyJson(3), hostileString(30), fc.boolean()).map(([f, i, value, key, drop]) => {
    const out: Record<string, unknown> = { ...f };
    const keys = Object.keys(out).filter((k) => k !== 'type');
    const k = keys.length && !drop ? keys[i % keys.length]! : `${MARK}${key}`;
    if (drop && keys.length) delete out[keys[i % keys.length]!];
    else out[k] = typeof value === 'string' ? `${MARK}${value}` : value;
    return out;
  });
}

/** Every string and key of a value, marked. */
function marked(v: unknown): unknown {
  if (typeof v === 'string') return MARK + v;
  if (Array.isArray(v)) return v.map(marked);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k === 'type' ? k : MARK + k, k === 'type' ? x : marked(x)]));
  return v;
}

function checkRejection(r: FrameResult<unknown>): void {
  if (r.ok) return;
  assert.ok(r.code === 'bad_frame' || r.code === 'invalid', r.code);
  assert.type(r.message, 'string');
  assert.ok(r.message.length > 0 && r.message.length <= MAX_REJECTION_CHARS, `rejection length ${r.message.length}: ${r.message.slice(0, 300)}`);
  assert.not.ok(r.message.includes(MARK), `the rejection echoes the frame: ${r.message.slice(0, 300)}`);
  if (r.ref !== undefined) assert.match(r.ref, /^[A-Za-z0-9_-]{1,64}$/);
}

const both = [
  ['customer', CustomerClientFrame, CUSTOMER_TYPES, customerFrame],
  ['agent', AgentClientFrame, AGENT_TYPES, agentFrame],
] as const;

for (const [side, schema, types, valid] of both) {
  const parse = (data: Buffer) => parseFrame(schema, types, data);

  test(`${side} frames: valid frames parse`, () => {
    fuzz(
      `${side} frames valid`,
      [valid as fc.Arbitrary<Record<string, unknown>>],
      (f) => {
        const r = parse(Buffer.from(JSON.stringify(f)));
        assert.ok(r.ok, JSON.stringify(r));
      },
      { runs: 400 },
    );
  });

  test(`${side} frames: any bytes are a frame or a reasoned rejection, never a throw`, () => {
    fuzz(
      `${side} frames raw bytes`,
      [
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
          fc.string({ maxLength: 200, unit: 'binary' }).map((s) => Buffer.from(s)),
        ),
      ],
      (data) => {
        checkRejection(parse(data));
      },
      { runs: 500 },
    );
  });

  test(`${side} frames: any JSON, and near misses of valid frames, are rejected with a field path and never echoed`, () => {
    const hostile = fc.oneof(
      anyJson(4).map(marked),
      mutate(valid as fc.Arbitrary<Record<string, unknown>>),
      fc
        .record({ type: fc.constantFrom(...types), rest: fc.dictionary(hostileString(12), anyJson(2), { maxKeys: 4 }) })
        .map(({ type, rest }) => ({ ...(marked(rest) as object), type })),
      // Records keyed by the client (pre-chat answers) reach the deepest error paths.
      fc
        .tuple(valid as fc.Arbitrary<Record<string, unknown>>, fc.dictionary(hostileString(12), anyJson(1), { minKeys: 1, maxKeys: 3 }))
        .map(([f, fields]) => ({ ...f, prechat: { fields: marked(fields) } })),
    );
    fuzz(
      `${side} frames hostile JSON`,
      [hostile],
      (f) => {
        checkRejection(parse(Buffer.from(JSON.stringify(f))));
      },
      {
        runs: 1500,
        examples: [
          // Found by this property: a pre-chat field key failing the key pattern came back in the error path.
          [{ type: 'conversation.start', clientMsgId: 'abcdefgh', text: 'hi', prechat: { fields: { [`${MARK}<img src=x onerror=alert(1)>`]: 'x' } } }],
          [{ type: '__proto__' }],
          [{ type: 'toString' }],
        ] as [Record<string, unknown>][],
      },
    );
  });
}

test('customer message.send: the quick check (parseMessageSendFast) answers as the schema does, and takes the plain frame', () => {
  const plain = fc.record({ type: fc.constant('message.send'), conversationId: convId, clientMsgId, text });
  const edgeText = fc.oneof(
    fc.constantFrom('', ' ', '\n\t ', ' a ', '\u00a0x\u00a0', '\ufeffy', 'x'.repeat(MAX_MESSAGE_CHARS), 'x'.repeat(MAX_MESSAGE_CHARS + 1)),
    fc
      .tuple(fc.constantFrom('', ' ', '  \n'), fc.integer({ min: MAX_MESSAGE_CHARS - 2, max: MAX_MESSAGE_CHARS + 2 }))
      .map(([pad, n]) => pad + 'y'.repeat(n) + pad),
  );
  const edgeId = fc.constantFrom(
    'abcdefg',
    'abcdefgh',
    'a'.repeat(64),
    'a'.repeat(65),
    'abc def gh',
    'SUP-12',
    'SUP-0',
    'S-1',
    'SUPPORTDESK1-1',
    'sup-12',
    'SUP-12 ',
  );
  const near = fc.oneof(
    plain,
    mutate(plain as fc.Arbitrary<Record<string, unknown>>),
    fc.tuple(plain, edgeText).map(([f, t]) => ({ ...f, text: t })),
    fc.tuple(plain, edgeId, fc.boolean()).map(([f, id, which]) => (which ? { ...f, conversationId: id } : { ...f, clientMsgId: id })),
    fc.tuple(plain, anyJson(1)).map(([f, v]) => ({ ...f, extra: v })),
  );
  fuzz(
    'message.send quick check',
    [near],
    (f) => {
      const quick = parseMessageSendFast(f);
      const schema = CustomerClientFrame.safeParse(f);
      if (quick) {
        assert.ok(schema.success, `the quick check took what the schema refuses: ${JSON.stringify(f).slice(0, 200)}`);
        // The same frame, field for field and in the same order.
        assert.is(JSON.stringify(quick), JSON.stringify(schema.data));
      } else if (schema.success && Object.keys(f).length === 4) {
        assert.unreachable(`the quick check left a plain valid frame to the schema: ${JSON.stringify(f).slice(0, 200)}`);
      }
    },
    { runs: 2000 },
  );
});

test.run();
