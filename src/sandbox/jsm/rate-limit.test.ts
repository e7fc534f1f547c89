/**
 * Injected 429s: every Nth call of the app runtime is refused with Retry-After (and
 * X-RateLimit-Reset, RateLimit-Reason); reissuing before the period ends fails again;
 * other budgets (another user, tests' direct calls) are not affected.
 * @see https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 */
import * as assert from 'uvu/assert';
import { RateLimiter } from './rate-limit.js';
import { siteSuite } from './test-support.js';

const s = siteSuite('429 with Retry-After, injected for the app runtime', { rateLimit: { everyNth: 3, retryAfterSeconds: 1 } });

s('every third app-runtime call is refused, with the documented headers, until Retry-After has passed', async ({ site }) => {
  const app = site.jsm.hostAuthHeaders({ type: 'app' }, { appRuntime: true });
  const get = () => fetch(`${site.jsm.url}/rest/api/3/myself`, { headers: app });
  assert.is((await get()).status, 200);
  assert.is((await get()).status, 200);
  const limited = await get();
  assert.is(limited.status, 429);
  assert.is(limited.headers.get('retry-after'), '1');
  assert.match(limited.headers.get('x-ratelimit-reset') ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
  assert.is(limited.headers.get('ratelimit-reason'), 'jira-quota-based');
  assert.equal((await limited.json()).errorMessages, ['Rate limit exceeded.']);
  // Too early: the same budget is still closed.
  assert.is((await get()).status, 429);
  // Another budget (the app acting for a user) and calls outside the app runtime go through.
  const ada = site.jsm.users.find((u) => u.siteAdmin)?.accountId ?? '';
  assert.is(
    (await fetch(`${site.jsm.url}/rest/api/3/myself`, { headers: site.jsm.hostAuthHeaders({ type: 'user', accountId: ada }, { appRuntime: true }) })).status,
    200,
  );
  assert.is((await fetch(`${site.jsm.url}/rest/api/3/myself`, { headers: site.jsm.hostAuthHeaders({ type: 'app' }) })).status, 200);
  await new Promise((r) => setTimeout(r, 1050));
  assert.is((await get()).status, 200);
  assert.is(site.jsm.stats().rateLimited, 2);
});

s('servicedeskapi answers its own error shape with the 429', async ({ site }) => {
  const app = site.jsm.hostAuthHeaders({ type: 'app' }, { appRuntime: true });
  let limited: Response | undefined;
  for (let i = 0; i < 3 && !limited; i++) {
    const r = await fetch(`${site.jsm.url}/rest/servicedeskapi/servicedesk`, { headers: app });
    if (r.status === 429) limited = r;
    else await r.arrayBuffer();
  }
  assert.ok(limited);
  assert.type((await limited.json()).errorMessage, 'string');
});

s('the limiter is deterministic: a fake clock reopens the budget exactly after Retry-After', () => {
  let now = 0;
  const l = new RateLimiter({ everyNth: 2, retryAfterSeconds: 2 }, () => now);
  assert.is(l.check('app'), undefined);
  assert.is(l.check('app')?.retryAfterSeconds, 2);
  now = 1500;
  assert.is(l.check('app')?.retryAfterSeconds, 1);
  now = 2000;
  assert.is(l.check('app'), undefined);
});

s.run();
