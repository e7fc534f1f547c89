/**
 * Chat reports, computed from Jira itself: JQL on the indexed `chat.stats` property
 * (`chatStarted` in the period), its values read with the search, agent names from Jira.
 * Nothing is stored anywhere else. Project page: agents of the project. Site-wide view:
 * Jira administrators (admin page).
 */
import { route } from '@forge/api';
import type Resolver from '@forge/resolver';
import { ChatStats, STATS_PROPERTY, STATS_STARTED_ALIAS } from '../../protocol/chat-stats.js';
import { computeReport, MAX_REPORT_CHATS, type ChatReport } from '../../protocol/chat-report.js';
import { projectKeyOf } from '../../protocol/ids.js';
import { readSettings } from '../analytics/settings.js';
import { jira } from '../lib/jira.js';
import { jqlString } from '../lib/issues.js';
import { assertAgentOfProject, assertJiraAdmin } from '../lib/permissions.js';
import { displayNames } from './common.js';
import { define } from './define.js';

const PAGE = 100;
type Found = { key: string; stats: ChatStats };

/** The day after `date` (yyyy-mm-dd): the period's end is exclusive in JQL. */
const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

async function chatsStarted(projectKey: string | null, from: string, to: string): Promise<{ chats: Found[]; truncated: boolean }> {
  const jql = [
    projectKey ? `project = ${jqlString(projectKey)}` : null,
    `${STATS_STARTED_ALIAS} >= ${jqlString(from)}`,
    `${STATS_STARTED_ALIAS} < ${jqlString(dayAfter(to))}`,
  ]
    .filter(Boolean)
    .join(' AND ');
  const chats: Found[] = [];
  let token: string | undefined;
  for (;;) {
    const body = { jql, fields: ['id'], properties: [STATS_PROPERTY], maxResults: PAGE, ...(token ? { nextPageToken: token } : {}) };
    const res = await jira<{ issues?: { key: string; properties?: Record<string, unknown> }[]; nextPageToken?: string; isLast?: boolean }>(
      'app',
      route`/rest/api/3/search/jql`,
      { method: 'POST', body },
    );
    for (const i of res.issues ?? []) {
      const s = ChatStats.safeParse(i.properties?.[STATS_PROPERTY]);
      if (s.success) chats.push({ key: i.key, stats: s.data });
    }
    if (chats.length >= MAX_REPORT_CHATS) return { chats: chats.slice(0, MAX_REPORT_CHATS), truncated: true };
    if (res.isLast !== false || !res.nextPageToken) return { chats, truncated: false };
    token = res.nextPageToken;
  }
}

async function report(projectKey: string | null, from: string, to: string, nowMs = Date.now()): Promise<{ report: ChatReport; chats: Found[] }> {
  const [{ chats, truncated }, settings] = await Promise.all([chatsStarted(projectKey, from, to), readSettings()]);
  const agentIds = [...new Set(chats.flatMap((c) => (c.stats.agent ? [c.stats.agent] : [])))];
  const names = Object.fromEntries(await displayNames(agentIds));
  return {
    report: computeReport(
      chats.map((c) => c.stats),
      { from, to, missedAfterMinutes: settings.missedAfterMinutes, nowMs, names, truncated },
    ),
    chats,
  };
}

export function registerReports(r: Resolver): void {
  define(r, 'reports.project', async ({ projectKey, from, to }) => {
    await assertAgentOfProject(projectKey);
    return (await report(projectKey, from, to)).report;
  });

  define(r, 'reports.site', async ({ from, to }) => {
    await assertJiraAdmin();
    const nowMs = Date.now();
    const { report: all, chats } = await report(null, from, to, nowMs);
    const byProject = new Map<string, ChatStats[]>();
    for (const c of chats) byProject.set(projectKeyOf(c.key), [...(byProject.get(projectKeyOf(c.key)) ?? []), c.stats]);
    const projects = [...byProject.entries()]
      .map(([key, list]) => {
        const one = computeReport(list, { from, to, missedAfterMinutes: all.missedAfterMinutes, nowMs, names: {} });
        return { key, chats: one.totals.chats, missed: one.totals.missed };
      })
      .sort((a, b) => b.chats - a.chats || a.key.localeCompare(b.key));
    return { ...all, projects };
  });
}
