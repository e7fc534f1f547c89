/**
 * Widget views → counts → the app (usage/counter.ts). The widget's `view` frames are counted
 * per project and reach the app's webtrigger as one `usage` call with counts only; with the
 * site's analytics off nothing is counted, held or sent; memory stays bounded.
 */
import { suite, test } from 'uvu';
import * as assert from 'uvu/assert';
import { InboundCall } from '../../protocol/webtrigger.js';
import { MAX_USAGE_PROJECTS_PER_CALL, MAX_VIEWS_PER_SOCKET } from '../../protocol/limits.js';
import { silentLogger } from '../log.js';
import { startHarness, type Harness } from '../testing/harness.js';
import { waitUntil } from '../testing/wait.js';
import { MAX_USAGE_PROJECTS, UsageCounter } from './counter.js';

type Call = { installationId: string; call: Extract<InboundCall, { type: 'usage' }> };

function counter(on: () => boolean, fail = false) {
  const calls: Call[] = [];
  const c = new UsageCounter({
    log: silentLogger,
    analyticsOn: async () => on(),
    app: {
      call: (async (installationId: string, call: Call['call']) => {
        calls.push({ installationId, call: InboundCall.parse(call) as Call['call'] });
        if (fail) throw new Error('app unavailable');
        return { recorded: true };
      }) as never,
    },
  });
  return { c, calls };
}

test('views are summed per site and project and sent as counts only, then forgotten', async () => {
  const { c, calls } = counter(() => true);
  await c.count('site-a', 'SUP', 'loaded');
  await c.count('site-a', 'SUP', 'loaded');
  await c.count('site-a', 'SUP', 'opened');
  await c.count('site-a', 'HELP', 'loaded');
  await c.count('site-b', 'SUP', 'opened');
  await c.flush();
  assert.equal(
    calls.map((x) => [x.installationId, x.call.counts]),
    [
      [
        'site-a',
        [
          { projectKey: 'SUP', loaded: 2, opened: 1 },
          { projectKey: 'HELP', loaded: 1, opened: 0 },
        ],
      ],
      ['site-b', [{ projectKey: 'SUP', loaded: 0, opened: 1 }]],
    ],
  );
  assert.is(c.held, 0);
  await c.flush();
  assert.is(calls.length, 2, 'an empty interval sends nothing');
});

test('with analytics off nothing is counted, held or sent', async () => {
  const { c, calls } = counter(() => false);
  for (let i = 0; i < 100; i++) await c.count('site-a', 'SUP', i % 2 ? 'loaded' : 'opened');
  assert.is(c.held, 0, 'not even a number is kept');
  await c.flush();
  assert.is(calls.length, 0);
  assert.is(c.dropped, 0, 'nothing was counted, so nothing was dropped either');
});

test('memory is bounded: projects beyond the cap are dropped and counted; a site with many projects is split over calls', async () => {
  const { c, calls } = counter(() => true);
  const key = (i: number) => `P${String(i).padStart(5, '0')}`;
  for (let i = 0; i < MAX_USAGE_PROJECTS + 5; i++) await c.count('site-a', key(i), 'loaded');
  assert.is(c.held, MAX_USAGE_PROJECTS);
  assert.is(c.dropped, 5);
  await c.flush();
  assert.is(calls.length, MAX_USAGE_PROJECTS / MAX_USAGE_PROJECTS_PER_CALL);
  assert.ok(calls.every((x) => x.call.counts.length <= MAX_USAGE_PROJECTS_PER_CALL));
});

test('a failed call is not retried: its counts are dropped and counted, nothing is kept', async () => {
  const { c, calls } = counter(() => true, true);
  await c.count('site-a', 'SUP', 'loaded');
  await c.count('site-a', 'SUP', 'opened');
  await c.flush();
  assert.is(calls.length, 1);
  assert.is(c.dropped, 2);
  assert.is(c.held, 0);
  await c.flush();
  assert.is(calls.length, 1);
});

test.run();

const S = suite<{ h: Harness }>('view frames on a customer socket');
S.before(async (ctx) => {
  // A burst above the per-socket frame limit, so the view cap (not the rate limit) is what stops counting.
  ctx.h = await startHarness({ limits: { usageFlushMs: 50, frameBurst: 200, framesPerSec: 200 } });
});
S.after(async ({ h }) => h.close());

const usageCalls = (h: Harness) => h.app.calls.filter((c): c is Call['call'] => c.type === 'usage');
const totals = (h: Harness) =>
  usageCalls(h)
    .flatMap((c) => c.counts)
    .reduce((t, c) => ({ loaded: t.loaded + c.loaded, opened: t.opened + c.opened }), { loaded: 0, opened: 0 });

S('a widget that loaded and a chat that opened reach the app as counts of the project', async ({ h }) => {
  const a = await h.customer();
  a.send({ type: 'view', what: 'loaded' });
  a.send({ type: 'view', what: 'opened' });
  const b = await h.customer();
  b.send({ type: 'view', what: 'loaded' });
  await waitUntil(() => totals(h).loaded === 2 && totals(h).opened === 1, 'the usage call', 5_000);
  for (const c of usageCalls(h)) for (const p of c.counts) assert.equal(Object.keys(p).sort(), ['loaded', 'opened', 'projectKey'], 'counts only');
  await a.close();
  await b.close();
});

S('a socket has at most MAX_VIEWS_PER_SOCKET views counted', async ({ h }) => {
  h.app.calls.length = 0;
  const a = await h.customer();
  for (let i = 0; i < MAX_VIEWS_PER_SOCKET + 10; i++) a.send({ type: 'view', what: 'opened' });
  a.send({ type: 'ping' });
  await a.next('pong');
  await waitUntil(() => totals(h).opened === MAX_VIEWS_PER_SOCKET, 'the capped count', 5_000);
  await a.close();
});

S("with the site's analytics switched off, views are not counted and the app gets no usage call", async ({ h }) => {
  assert.is((await h.remote('settings.put', { analytics: false })).status, 200);
  h.app.calls.length = 0;
  const a = await h.customer();
  for (let i = 0; i < 5; i++) a.send({ type: 'view', what: i ? 'opened' : 'loaded' });
  a.send({ type: 'ping' });
  await a.next('pong');
  // Switched back on, one more view: the first usage call holds exactly that one.
  assert.is((await h.remote('settings.put', { analytics: true })).status, 200);
  a.send({ type: 'view', what: 'opened' });
  await waitUntil(() => usageCalls(h).length > 0, 'the usage call', 5_000);
  assert.equal(totals(h), { loaded: 0, opened: 1 }, 'nothing from the time analytics was off');
  await a.close();
});

S.run();
