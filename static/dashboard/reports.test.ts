/**
 * The project page's Reports tab in Chromium, light and dark: charts (uPlot canvases) for
 * three weeks of sample history, a table with the same numbers behind every chart, tiles
 * with the totals, and a CSV download byte-equal to reportCsv() of the answer. Screenshots:
 * test-results/screenshots/dashboard-reports-light.png and dashboard-reports-dark.png.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { computeReport, reportCsv, type ChatReport } from '../../src/protocol/chat-report.js';
import type { ResolverResponse } from '../../src/protocol/resolvers.js';
import { plannedChats } from '../../src/sandbox/chat-history.js';
import { uiSessions, type UiSession } from '../ui-kit/testing/harness.js';

const openSession = uiSessions(test);
const context = { accountId: 'agent-1', locale: 'en-US', extension: { type: 'jira:projectPage', project: { key: 'SUP', id: '10000', type: 'service_desk' } } };
const NOW = Date.now();

/** The sample history `npm start` seeds, computed as the app computes it. */
function sample(p: { from: string; to: string }): ChatReport {
  const chats = plannedChats({ projectKey: 'SUP', serviceDeskId: '1', requestTypeId: '10', agents: ['agent-1', 'agent-2', 'agent-3'], nowMs: NOW }).map(
    (c) => ({ v: 1 as const, ...c }),
  );
  return computeReport(chats, {
    ...p,
    missedAfterMinutes: 5,
    nowMs: NOW,
    names: { 'agent-1': 'Grace Hopper', 'agent-2': 'Alan Turing', 'agent-3': 'Ada Lovelace' },
  });
}

const dashboardLoad = (): ResolverResponse<'dashboard.load'> => ({
  chats: [],
  agents: [],
  me: { accountId: 'agent-1', name: 'Grace Hopper', status: 'online' },
});

async function reportsTab(theme: 'light' | 'dark', onReport: (r: ChatReport) => void): Promise<UiSession> {
  const s = await openSession('dashboard', {
    context,
    theme,
    viewport: { width: 1100, height: 900 },
    handlers: {
      'dashboard.load': dashboardLoad,
      'reports.project': (p) => {
        const r = sample(p);
        onReport(r);
        return r;
      },
    },
  });
  await s.page.getByRole('tab', { name: 'Live chats' }).waitFor();
  assert.is(s.invoked('reports.project').length, 0, 'no report is computed before the tab is opened');
  await s.page.getByRole('tab', { name: 'Reports' }).click();
  await s.page.locator('.report .tiles').waitFor();
  return s;
}

for (const theme of ['light', 'dark'] as const) {
  test(`the Reports tab renders charts, tables and totals for the seeded history (${theme})`, async () => {
    let last: ChatReport | undefined;
    const s = await reportsTab(theme, (r) => (last = r));
    const req = await s.waitForInvoke('reports.project');
    assert.is(req.projectKey, 'SUP');
    assert.ok(last && last.totals.chats > 50, 'three weeks of history');
    assert.is(await s.page.getByRole('tab', { name: 'Reports' }).getAttribute('aria-selected'), 'true');
    assert.not.ok(await s.page.locator('#panel-chats').isVisible(), 'the live chats are hidden, not closed');
    assert.is(await s.page.locator('[data-tile="Chats"]').textContent(), String(last.totals.chats));
    assert.is(await s.page.locator('[data-tile="Missed"]').textContent(), String(last.totals.missed));
    assert.is(await s.page.locator('#panel-reports canvas').count(), 2, 'two uPlot charts');
    // The table behind the volume chart holds every day's number.
    await s.page.getByText('Show the numbers').first().click();
    const rows = await s.page
      .locator('#panel-reports figure')
      .first()
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    assert.equal(
      rows,
      last.days.map((d) => [d.date, String(d.chats), String(d.missed), String(d.offline)]),
    );
    // The heatmap is a table: Monday 09:00 holds the computed count.
    const monday9 = await s.page.locator('.heatmap tbody tr').first().locator('td').nth(9).textContent();
    assert.is(monday9, last.heatmap[0]?.[9] ? String(last.heatmap[0][9]) : '');
    const bg = await s.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.is(bg, theme === 'dark' ? 'rgb(29, 33, 37)' : 'rgb(255, 255, 255)');
    await s.page.getByText('Show the numbers').first().click();
    await s.screenshot(`reports-${theme}`);
  });
}

test('Export CSV downloads the same numbers as the page, for the chosen period', async () => {
  let last: ChatReport | undefined;
  const s = await reportsTab('light', (r) => (last = r));
  await s.page.getByRole('button', { name: 'Last 14 days' }).click();
  await s.waitForInvoke('reports.project', 2);
  await s.page
    .locator('.report .muted', { hasText: last?.from ?? '' })
    .first()
    .waitFor();
  const [download] = await Promise.all([s.page.waitForEvent('download'), s.page.getByRole('button', { name: 'Export CSV' }).click()]);
  assert.ok(last);
  assert.is(download.suggestedFilename(), `chat-report-SUP-${last.from}-${last.to}.csv`);
  assert.is(await readFile(await download.path(), 'utf8'), reportCsv(last));
  assert.is((Date.parse(last.to) - Date.parse(last.from)) / 86_400_000 + 1, 14);
});

test.run();
