/**
 * The app against the stand-in's documented strictness: 429 + Retry-After handled by the
 * one request helper (bounded), and customer creation refused without Administer Jira.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startWorld } from './__fixtures__/world.js';
import { RATE_LIMIT_BACKOFF } from './lib/jira.js';

const start = (clientMsgId: string, email: string) => ({
  type: 'conversation.start',
  projectKey: 'SUP',
  clientMsgId,
  caller: 'v:' + 'a9'.repeat(16),
  channel: 'web',
  customer: { name: 'Ivy Visitor', email, verified: false },
  text: 'Hello',
});

test('a 429 with Retry-After is waited out and retried: the caller never sees it', async () => {
  const w = await startWorld({ rateLimit: { everyNth: 5, retryAfterSeconds: 1 } });
  try {
    const s = await w.inbound(start('strict-rl-000001', 'ivy@visitor.example'));
    assert.is(s.status, 200, JSON.stringify(s.body));
    const p = await w.resolve('panel.load', { issueKey: s.body.conversationId }, w.people.alice);
    assert.is(p.conversation.status, 'open');
  } finally {
    await w.close();
  }
});

test('a rate limit that outlasts the bounded backoff fails with a clear, retryable error', async () => {
  const w = await startWorld({ rateLimit: { everyNth: 1, retryAfterSeconds: 1 } });
  try {
    const t0 = Date.now();
    const s = await w.inbound(start('strict-rl-000002', 'jo@visitor.example'));
    const took = Date.now() - t0;
    assert.is(s.status, 503, JSON.stringify(s.body));
    assert.match(JSON.stringify(s.body), /rate-limiting the app; gave up after 4 attempts/);
    assert.ok(took < RATE_LIMIT_BACKOFF.maxTotalWaitMs + 5_000, `took ${took} ms`);
    assert.ok(took >= 3_000, `waited out Retry-After three times (${took} ms)`);
  } finally {
    await w.close();
  }
});

test('without Administer Jira the app cannot create customers, and says what to grant', async () => {
  const w = await startWorld();
  try {
    w.jsm.setAppAdminister(false);
    const s = await w.inbound(start('strict-ad-000001', 'kim@visitor.example'));
    // Jira refused the app (not the caller): 502 jira_error, with what to grant.
    assert.is(s.status, 502, JSON.stringify(s.body));
    assert.match(JSON.stringify(s.body), /Administer Jira/);
    const admin = await w.resolve('admin.load', {}, w.people.ada, 'chat-admin');
    assert.is(admin.warnings.length, 1);
    assert.match(admin.warnings[0], /Global permissions/);
    w.jsm.setAppAdminister(true);
    const ok = await w.inbound(start('strict-ad-000001', 'kim@visitor.example'));
    assert.is(ok.status, 200, JSON.stringify(ok.body));
    assert.equal((await w.resolve('admin.load', {}, w.people.ada, 'chat-admin')).warnings, []);
  } finally {
    await w.close();
  }
});

test.run();
