import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startWorld, type World } from './__fixtures__/world.js';
import { PERSONAL_DATA_PAGE_SIZE, PERSONAL_DATA_REPORT_BATCH } from '../protocol/personal-data.js';

let w: World;
test.before(async () => {
  w = await startWorld();
});
test.after(async () => {
  await w.close();
});

const TOTAL = PERSONAL_DATA_PAGE_SIZE + 120;
const ids = Array.from({ length: TOTAL }, (_, i) => `712020:held-${String(i).padStart(4, '0')}`);
const UPDATED_AT = '2026-03-01T00:00:00.000Z';

/** The service's pages: accountId order, a cursor, as src/presence-service/remote/personal-data.ts answers. */
function servePages(): void {
  w.presence.answerWith('personal-data.accounts', (body) => {
    const cursor = body['cursor'] as string | undefined;
    const start = cursor ? ids.indexOf(cursor) + 1 : 0;
    const page = ids.slice(start, start + PERSONAL_DATA_PAGE_SIZE);
    const next = start + page.length < ids.length ? (page.at(-1) ?? null) : null;
    return { accounts: page.map((accountId) => ({ accountId, updatedAt: UPDATED_AT })), next };
  });
  w.presence.answerWith('personal-data.apply', (body) => ({ erased: (body['closed'] as string[]).length, refreshed: (body['updated'] as string[]).length }));
}

test('the weekly trigger reports every held account in batches of at most 90 and hands closed/updated back to the service', async () => {
  servePages();
  w.host.accounts.close(ids[3]!);
  w.host.accounts.close(ids[PERSONAL_DATA_PAGE_SIZE + 5]!);
  w.host.accounts.update(ids[10]!, Date.parse('2026-04-01T00:00:00Z'));
  w.host.accounts.update(ids[11]!, Date.parse('2026-02-01T00:00:00Z')); // before updatedAt: nothing to do
  const before = w.host.accounts.reports.length;

  assert.equal(await w.host.fireScheduledTrigger('personal-data-report'), { statusCode: 204 });

  const reports = w.host.accounts.reports.slice(before);
  assert.ok(
    reports.every((r) => r.accountIds.length <= PERSONAL_DATA_REPORT_BATCH),
    'no batch over 90',
  );
  assert.is(reports.length, Math.ceil(PERSONAL_DATA_PAGE_SIZE / 90) + Math.ceil(120 / 90));
  assert.equal(
    reports.flatMap((r) => r.accountIds),
    ids,
    'every account once, in order',
  );

  const pages = w.presence.callsTo('personal-data.accounts');
  assert.equal(
    pages.map((c) => c.body['cursor'] ?? null),
    [null, ids[PERSONAL_DATA_PAGE_SIZE - 1]],
  );
  const applied = w.presence.callsTo('personal-data.apply');
  assert.equal(
    applied.map((c) => c.body),
    [
      { closed: [ids[3]], updated: [ids[10]] },
      { closed: [ids[PERSONAL_DATA_PAGE_SIZE + 5]], updated: [] },
    ],
  );
  // A scheduled trigger has no user: the service sees backend FITs without a principal.
  assert.ok([...pages, ...applied].every((c) => c.accountId === undefined));
});

test('nothing to act on: no apply call; the service unreachable: 503 and nothing reported', async () => {
  w.presence.answerWith('personal-data.accounts', () => ({ accounts: [{ accountId: '712020:quiet', updatedAt: UPDATED_AT }], next: null }));
  const applies = w.presence.callsTo('personal-data.apply').length;
  assert.equal(await w.host.fireScheduledTrigger('personal-data-report'), { statusCode: 204 });
  assert.is(w.presence.callsTo('personal-data.apply').length, applies);

  const reports = w.host.accounts.reports.length;
  w.presence.answerWith('personal-data.accounts', null);
  w.presence.failNext('personal-data.accounts', 1);
  assert.equal(await w.host.fireScheduledTrigger('personal-data-report'), { statusCode: 503 });
  assert.is(w.host.accounts.reports.length, reports);
});

test.run();
