/**
 * The reports page in Chromium, light and dark: charts (uPlot canvases) for three weeks of
 * sample history, a table with the same numbers behind every chart, tiles with the
 * totals, and a CSV download byte-equal to reportCsv() of the answer. Screenshots go to
 * test-results/screenshots (reports-light.png, reports-dark.png: the harness prefixes the UI name).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { computeReport, reportCsv, type ChatReport } from '../../src/protocol/chat-report.js';
import { plannedChats } from '../../src/sandbox/chat-history.js';
import { uiSessions } from '../ui-kit/testing/harness.js';

const openSession = uiSessions(test);
const context = { accountId: 'agent-1', locale: 'en-US', extension: { type: 'jira:projectPage', project: { key: 'SUP', id: '10000', type: 'service_desk' } } };
const NOW = Date.now();

/** The sample history `npm start` seeds, computed as the app computes it. */
function sample(p: { from: string; to: string }): ChatReport {
  const chats = plannedChats({ projectKey: 'SUP', serviceDeskId: '1', requestTypeId: '10', agents: ['agent-1', 'agent-2', 'agent-3'], nowMs: NOW }).map((c) => ({ v: 1 as const, ...c }));
  return computeReport(chats, { ...p, missedAfterMinutes: 5, nowMs: NOW, names: { 'agent-1': 'Grace Hopper', 'agent-2': 'Alan Turing', 'agent-3': 'Ada Lovelace' } });
}

for (const theme of ['light', 'dark'] as const) {
  test(`renders charts, tables and totals for the seeded history (${theme})`, async () => {
    let last: ChatReport | undefined;
    const s = await openSession('reports', {
      context,
      theme,
      viewport: { width: 1100, height: 900 },
      handlers: { 'reports.project': (p) => (last = sample(p)) },
    });
    await s.page.locator('.report .tiles').waitFor();
    const req = await s.waitForInvoke('reports.project');
    assert.is(req.projectKey, 'SUP');
    assert.ok(last && last.totals.chats > 50, 'three weeks of history');
    assert.is(await s.page.locator('[data-tile="Chats"]').textContent(), String(last.totals.chats));
    assert.is(await s.page.locator('[data-tile="Missed"]').textContent(), String(last.totals.missed));
    assert.is(await s.page.locator('canvas').count(), 2, 'two uPlot charts');
    // The table behind the volume chart holds every day's number.
    await s.page.getByText('Show the numbers').first().click();
    const rows = await s.page.locator('figure').first().locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    assert.equal(rows, last.days.map((d) => [d.date, String(d.chats), String(d.missed), String(d.offline)]));
    // The heatmap is a table: Monday 09:00 holds the computed count.
    const monday9 = await s.page.locator('.heatmap tbody tr').first().locator('td').nth(9).textContent();
    assert.is(monday9, last.heatmap[0]?.[9] ? String(last.heatmap[0][9]) : '');
    // The chart colours come from the theme.
    const bg = await s.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.is(bg, theme === 'dark' ? 'rgb(29, 33, 37)' : 'rgb(255, 255, 255)');
    await s.page.getByText('Show the numbers').first().click();
    await s.screenshot(theme);
  });
}

test('Export CSV downloads the same numbers as the page', async () => {
  let last: ChatReport | undefined;
  const s = await openSession('reports', { context, viewport: { width: 1100, height: 900 }, handlers: { 'reports.project': (p) => (last = sample(p)) } });
  await s.page.locator('.report .tiles').waitFor();
  await s.page.getByRole('button', { name: 'Last 14 days' }).click();
  await s.waitForInvoke('reports.project', 2);
  await s.page.locator('.report .muted', { hasText: last?.from ?? '' }).first().waitFor();
  const [download] = await Promise.all([s.page.waitForEvent('download'), s.page.getByRole('button', { name: 'Export CSV' }).click()]);
  assert.ok(last);
  assert.is(download.suggestedFilename(), `chat-report-SUP-${last.from}-${last.to}.csv`);
  const path = await download.path();
  assert.is(await readFile(path, 'utf8'), reportCsv(last));
  const days = (Date.parse(last.to) - Date.parse(last.from)) / 86_400_000 + 1;
  assert.is(days, 14);
});

test.run();
