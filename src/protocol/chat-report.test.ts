import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChatStats } from './chat-stats.js';
import { computeReport, isMissed, percentile, reportCsv } from './chat-report.js';

const P = suite('percentile');
P('nearest rank: median and p90 of ten values, null for none', () => {
  const xs = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
  assert.is(percentile(xs, 50), 5);
  assert.is(percentile(xs, 90), 9);
  assert.is(percentile([7], 90), 7);
  assert.is(percentile([], 50), null);
});
P.run();

const chat = (over: Partial<ChatStats>): ChatStats => ({ v: 1, started: '2026-11-02T09:15:00.000Z', channel: 'web', offline: false, ...over });

const M = suite('isMissed');
M('late or never answered live chats are missed; offline messages never are', () => {
  const now = Date.parse('2026-11-02T12:00:00Z');
  assert.is(isMissed(chat({ firstResponseSec: 301 }), 300_000, now), true);
  assert.is(isMissed(chat({ firstResponseSec: 300 }), 300_000, now), false);
  assert.is(isMissed(chat({}), 300_000, now), true);
  assert.is(isMissed(chat({ started: '2026-11-02T11:58:00.000Z' }), 300_000, now), false, 'still within the threshold');
  assert.is(isMissed(chat({ offline: true }), 300_000, now), false);
});
M.run();

const C = suite('computeReport and reportCsv');
C('counts per day, hour (Monday first, UTC), agent and rating; the CSV neutralises formulas', () => {
  const r = computeReport(
    [
      chat({ firstResponseSec: 30, agent: 'a1', rating: 5 }),
      chat({ started: '2026-11-03T23:30:00.000Z', firstResponseSec: 600, agent: 'a1' }),
      chat({ started: '2026-11-03T10:00:00.000Z', offline: true }),
      chat({ started: '2026-10-01T10:00:00.000Z' }),
    ],
    { from: '2026-11-02', to: '2026-11-04', missedAfterMinutes: 5, nowMs: Date.parse('2026-11-05T00:00:00Z'), names: { a1: '=cmd()' } },
  );
  assert.equal(
    r.days.map((d) => [d.date, d.chats, d.missed, d.offline]),
    [
      ['2026-11-02', 1, 0, 0],
      ['2026-11-03', 2, 1, 1],
      ['2026-11-04', 0, 0, 0],
    ],
  );
  assert.is(r.heatmap[0]?.[9], 1, 'Monday 09');
  assert.is(r.heatmap[1]?.[23], 1, 'Tuesday 23');
  assert.equal(r.agents, [{ accountId: 'a1', name: '=cmd()', chats: 2, medianFirstResponseSec: 30 }]);
  assert.equal(r.totals, { chats: 3, offline: 1, answered: 2, missed: 1, medianFirstResponseSec: 30, p90FirstResponseSec: 600, ratings: 1, averageRating: 5 });
  const csv = reportCsv(r);
  assert.ok(csv.includes("'=cmd(),2,30"), 'a name starting with = is not a formula');
  assert.ok(csv.startsWith('from,to,chats,offline,answered,missed'));
});
C.run();
