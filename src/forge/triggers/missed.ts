/**
 * Hourly sweep (scheduledTrigger `missed-chats`): live chats started in the last two days
 * that are still open and unanswered past the admin's threshold get their `chat_missed`
 * event now (lib/chat-events.ts), not only when someone finally answers or closes them.
 * Only runs when analytics would send something: with the switch off or no sink it makes
 * no Jira call at all. Reports do not need it (they judge "missed" at report time).
 */
import { route } from '@forge/api';
import { ChatStats, STATS_PROPERTY, STATS_STARTED_ALIAS } from '../../protocol/chat-stats.js';
import { CONVERSATION_PROPERTY } from '../../protocol/jira-properties.js';
import { readSettings } from '../analytics/settings.js';
import { chatWaitedTooLong } from '../lib/chat-events.js';
import { conversationFrom } from '../lib/conversation.js';
import { jqlString } from '../lib/issues.js';
import { jira } from '../lib/jira.js';

/** How far back the sweep looks, and how many chats one run handles at most. */
const LOOKBACK_MS = 2 * 86_400_000;
const MAX_CHATS_PER_RUN = 200;

export async function sweepMissedChats(nowMs = Date.now()): Promise<number> {
  const s = await readSettings();
  if (!s.enabled || (!s.ga4 && !s.bigquery)) return 0;
  const since = new Date(nowMs - LOOKBACK_MS).toISOString().slice(0, 10);
  const jql = `chatStatus = "open" AND ${STATS_STARTED_ALIAS} >= ${jqlString(since)}`;
  let token: string | undefined;
  let seen = 0;
  while (seen < MAX_CHATS_PER_RUN) {
    const body = { jql, fields: ['id'], properties: [STATS_PROPERTY, CONVERSATION_PROPERTY], maxResults: 100, ...(token ? { nextPageToken: token } : {}) };
    const res = await jira<{ issues?: { key: string; properties?: Record<string, unknown> }[]; nextPageToken?: string; isLast?: boolean }>(
      'app',
      route`/rest/api/3/search/jql`,
      { method: 'POST', body },
    );
    for (const i of res.issues ?? []) {
      seen++;
      const stats = ChatStats.safeParse(i.properties?.[STATS_PROPERTY]);
      const conv = conversationFrom(i.properties);
      if (stats.success && conv && conv.status === 'open') await chatWaitedTooLong(i.key, conv, stats.data, nowMs);
    }
    if (res.isLast !== false || !res.nextPageToken) break;
    token = res.nextPageToken;
  }
  return seen;
}

export async function onMissedSweep(): Promise<void> {
  await sweepMissedChats();
}
