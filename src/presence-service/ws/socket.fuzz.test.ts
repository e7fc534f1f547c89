/**
 * Fuzzing the real sockets (issue 10): random frames over a customer and an agent socket
 * of a running service. Each bad frame is answered with an `error` frame that gives a
 * reason, the socket stays usable, and the service stays up for everyone else.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { anyJson, fc, fuzzAsync, hostileString } from '../../../scripts/testing/fuzz.js';
import { AgentClientFrame } from '../../protocol/agent-ws.js';
import { CustomerClientFrame } from '../../protocol/customer-ws.js';
import { createLogger } from '../log.js';
import { startHarness, type Harness } from '../testing/harness.js';
import type { TestClient } from '../testing/client.js';

type Ctx = { h: Harness; lines: string[] };
const S = suite<Ctx>('sockets under fuzzing');
S.before(async (ctx) => {
  ctx.lines = [];
  // Rate limits raised: this test is about parsing, and the limits have their own tests.
  ctx.h = await startHarness({
    limits: { frameBurst: 100_000, framesPerSec: 100_000, rateAbuseStrikes: 100_000 },
    deps: { log: createLogger({ level: 'warn', write: (l) => ctx.lines.push(l) }) },
  });
});
S.after(async (ctx) => {
  await ctx.h.close();
});

/** Frames no schema accepts: junk, other JSON, and known types with hostile fields. */
function invalidFrames(schema: { safeParse(v: unknown): { success: boolean } }, types: string[]): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.string({ maxLength: 100, unit: 'binary' }),
      anyJson(4).map((j) => JSON.stringify(j) ?? 'undefined'),
      fc
        .record(
          { type: fc.constantFrom(...types), conversationId: hostileString(20), clientMsgId: hostileString(20), text: anyJson(1), on: anyJson(1) },
          { requiredKeys: ['type'] },
        )
        .map((f) => JSON.stringify(f)),
    )
    .filter((raw) => {
      try {
        return !schema.safeParse(JSON.parse(raw)).success;
      } catch {
        return true;
      }
    });
}

async function answersEach(c: TestClient, raw: string): Promise<void> {
  c.send(raw);
  const e = await c.next('error');
  assert.ok(['bad_frame', 'invalid'].includes(e.code), `code ${e.code}`);
  assert.type(e.message, 'string');
  assert.ok(e.message.length > 0 && e.message.length <= 200, e.message);
}

S('a customer socket answers every bad frame with a reasoned error and keeps serving', async ({ h, lines }) => {
  const c = await h.customer();
  const types = ['auth', 'conversation.start', 'message.send', 'attachment.send', 'typing', 'seen', 'history', 'attachment.url', 'ping'];
  await fuzzAsync('customer socket bad frames', [invalidFrames(CustomerClientFrame, types)], (raw) => answersEach(c, raw), { runs: 400 });
  c.send({ type: 'ping' });
  await c.next('pong');
  // A new visitor is still served, and nothing was logged as a failure.
  const other = await h.customer();
  assert.ok(other.authOk);
  assert.equal(
    lines.filter((l) => /"level":"error"/.test(l)),
    [],
  );
});

S('valid frames about conversations the visitor does not own are refused with a reason, never an internal error', async ({ h, lines }) => {
  const c = await h.customer();
  const conv = fc.tuple(fc.constantFrom('SUP', 'OTHER', 'X1'), fc.integer({ min: 1, max: 1_000_000 })).map(([k, n]) => `${k}-${n}`);
  const id = fc.stringMatching(/^[A-Za-z0-9_-]{16,40}$/);
  const frame = fc.oneof(
    fc.record({ type: fc.constant('typing'), conversationId: conv, on: fc.boolean() }),
    fc.record({ type: fc.constant('seen'), conversationId: conv, messageId: id }),
    fc.record({ type: fc.constant('history'), conversationId: conv }),
    fc.record({ type: fc.constant('attachment.url'), conversationId: conv, attachmentId: id }),
    fc.record({ type: fc.constant('message.send'), conversationId: conv, clientMsgId: id, text: fc.constant('hello') }),
    fc.record({ type: fc.constant('attachment.send'), conversationId: conv, clientMsgId: id, attachmentId: id }),
  );
  await fuzzAsync(
    'customer socket foreign conversations',
    [frame],
    async (f) => {
      assert.ok(CustomerClientFrame.safeParse(f).success);
      c.send(f);
      const answer = 'clientMsgId' in f ? await c.next('message.failed').catch(() => c.next('error')) : await c.next('error');
      assert.ok(['forbidden', 'not_found', 'invalid', 'unavailable'].includes(answer.code), `code ${answer.code}: ${answer.message}`);
      assert.ok(answer.message.length > 0);
    },
    { runs: 150 },
  );
  assert.equal(
    lines.filter((l) => /"level":"error"/.test(l)),
    [],
  );
});

S('a first frame that is not a valid auth is refused with a reason and the socket closed (1008)', async ({ h }) => {
  await fuzzAsync(
    'customer socket bad first frames',
    [invalidFrames(CustomerClientFrame, ['auth', 'ping', 'message.send'])],
    async (raw) => {
      const c = await h.customer({ auth: null });
      c.send(raw);
      const e = await c.next('error');
      assert.type(e.message, 'string');
      assert.is((await c.closed).code, 1008);
    },
    { runs: 60 },
  );
});

S('an agent socket answers every bad frame with a reasoned error and keeps serving', async ({ h, lines }) => {
  const a = await h.agent();
  const types = ['auth', 'watch', 'unwatch', 'watch.project', 'typing', 'seen', 'status.set', 'ping'];
  await fuzzAsync('agent socket bad frames', [invalidFrames(AgentClientFrame, types)], (raw) => answersEach(a, raw), { runs: 300 });
  a.send({ type: 'ping' });
  await a.next('pong');
  assert.equal(
    lines.filter((l) => /"level":"error"/.test(l)),
    [],
  );
});

S.run();
