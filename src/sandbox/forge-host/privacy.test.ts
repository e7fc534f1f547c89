import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withHostSite } from './fixtures/host-site.js';
import { AccountDirectory, type ForgeHost } from './index.js';

const call = (host: ForgeHost, functionKey: string, payload: unknown) =>
  host.invokeResolver({ moduleKey: 'test-panel', functionKey, payload, accountId: 'agent-1', extension: {} }) as Promise<any>;
const accounts = (n: number, updatedAt = '2026-01-01T00:00:00.000Z') =>
  Array.from({ length: n }, (_, i) => ({ accountId: `712020:acc-${String(i).padStart(3, '0')}`, updatedAt }));

test('reportPersonalData (@forge/api 8.3.0) reaches the endpoint in batches of at most 90 and gets closed/updated back', async () => {
  await withHostSite({}, async ({ host }) => {
    const list = accounts(200);
    host.accounts.close('712020:acc-005');
    host.accounts.update('712020:acc-150', Date.parse('2026-02-01T00:00:00Z'));
    // Updated before the time the app says it last refreshed: nothing to do.
    host.accounts.update('712020:acc-151', Date.parse('2025-12-01T00:00:00Z'));
    const r = await call(host, 'reportPersonalData', { accounts: list });
    assert.equal(
      [...r.updates].sort((a: any, b: any) => a.accountId.localeCompare(b.accountId)),
      [
        { accountId: '712020:acc-005', status: 'closed' },
        { accountId: '712020:acc-150', status: 'updated' },
      ],
    );
    const sizes = host.accounts.reports.map((x) => x.accountIds.length).sort((a, b) => b - a);
    assert.equal(sizes, [90, 90, 20]);
    assert.equal(
      host.accounts.reports.flatMap((x) => x.accountIds).sort(),
      list.map((a) => a.accountId),
    );
    // A batch whose accounts need nothing answers 204, which the helper reads as [].
    assert.equal(await call(host, 'reportAccountsRaw', { accounts: accounts(3) }), { status: 204, body: null });
    assert.equal((await call(host, 'reportPersonalData', { accounts: [] })).updates, []);
  });
});

test('the endpoint refuses more than 90 accounts, and malformed reports, with 400', async () => {
  await withHostSite({}, async ({ host }) => {
    assert.is((await call(host, 'reportAccountsRaw', { accounts: accounts(90) })).status, 204);
    const over = await call(host, 'reportAccountsRaw', { accounts: accounts(91) });
    assert.is(over.status, 400);
    assert.match(over.body.message, 'accounts');
    for (const bad of [
      { accounts: [] },
      { accounts: [{ accountId: 'has space', updatedAt: '2026-01-01T00:00:00Z' }] },
      { accounts: [{ accountId: 'x'.repeat(129), updatedAt: '2026-01-01T00:00:00Z' }] },
      { accounts: [{ accountId: 'ok-id', updatedAt: 'yesterday' }] },
      { accounts: [{ accountId: 'ok-id' }] },
      { accounts: [{ accountId: 'ok-id', updatedAt: '2026-01-01T00:00:00Z', email: 'a@b.c' }] },
      {
        accounts: [
          { accountId: 'dup', updatedAt: '2026-01-01T00:00:00Z' },
          { accountId: 'dup', updatedAt: '2026-01-02T00:00:00Z' },
        ],
      },
      { users: ['a'] },
    ]) {
      assert.is((await call(host, 'reportAccountsRaw', bad)).status, 400, JSON.stringify(bad).slice(0, 80));
    }
    assert.is(host.accounts.reports.length, 1, 'refused reports are not recorded');
  });
});

test('without report:personal-data in the manifest the call is refused with 403', async () => {
  const prepare = async ({ appDir }: { appDir: string }) => {
    const file = path.join(appDir, 'manifest.yml');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/\n\s+- report:personal-data/, ''));
  };
  await withHostSite({ prepare }, async ({ host }) => {
    assert.equal(await call(host, 'reportPersonalData', { accounts: accounts(1) }), { failedWith: 403 });
    assert.is(host.accounts.reports.length, 0);
  });
});

test('a scheduled trigger fires on demand, without a user, with the documented request; a malformed answer is a 424', async () => {
  await withHostSite({ cloudId: 'cloud-tick' }, async ({ host }) => {
    assert.equal(await host.fireScheduledTrigger('tick'), { statusCode: 204 });
    const tick = await call(host, 'kvsGet', { key: 'tick' });
    assert.equal(tick, { cloudId: 'cloud-tick', moduleKey: 'tick', hasToken: true, principal: null, installContext: 'ari:cloud:jira::site/cloud-tick' });
    assert.equal(await host.fireScheduledTrigger('bad-tick'), { statusCode: 424 });
    assert.throws(() => host.fireScheduledTrigger('no-such-trigger'), /scheduledTrigger/);
  });
});

test('two sites can share one account directory: a closed account is closed for both, whatever updatedAt says', async () => {
  const shared = new AccountDirectory();
  shared.close('712020:acc-000');
  await withHostSite({ cloudId: 'cloud-one', accounts: shared }, async ({ host: one }) => {
    await withHostSite({ cloudId: 'cloud-two', accounts: shared }, async ({ host: two }) => {
      for (const h of [one, two]) {
        const r = await call(h, 'reportPersonalData', { accounts: accounts(1, '2030-01-01T00:00:00Z') });
        assert.equal(r.updates, [{ accountId: '712020:acc-000', status: 'closed' }]);
      }
    });
  });
});

test.run();
