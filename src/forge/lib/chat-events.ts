/**
 * What happens in a chat, told once to both places that count it: the `chat.stats` issue
 * property (the reports read it from Jira) and analytics (events with pseudonymous ids,
 * sent only when the admin switched analytics on and configured a sink). Called by the
 * webtrigger, the agent resolvers, the comment trigger and the close path. Best effort:
 * a failure here is logged by type and never fails the chat action that called it.
 */
import { route } from '@forge/api';
import { ChatStats, STATS_PROPERTY } from '../../protocol/chat-stats.js';
import type { ConversationProperty } from '../../protocol/jira-properties.js';
import { projectKeyOf } from '../../protocol/ids.js';
import { missedAfterMs, track, type ChatFacts } from '../analytics/index.js';
import { jira, jiraOptional } from './jira.js';

const facts = (issueKey: string, conv: ConversationProperty): ChatFacts => ({
  issueKey,
  projectKey: projectKeyOf(issueKey),
  customerAccountId: conv.customerAccountId,
  channel: conv.channel,
});

export async function readStats(issueKey: string): Promise<ChatStats | undefined> {
  const p = await jiraOptional<{ value: unknown }>('app', route`/rest/api/3/issue/${issueKey}/properties/${STATS_PROPERTY}`);
  const parsed = ChatStats.safeParse(p?.value);
  return parsed.success ? parsed.data : undefined;
}

async function writeStats(issueKey: string, stats: ChatStats): Promise<void> {
  await jira('app', route`/rest/api/3/issue/${issueKey}/properties/${STATS_PROPERTY}`, { method: 'PUT', body: ChatStats.parse(stats) });
}

async function quietly(what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    console.warn(`chat-events: ${what} not recorded`, e instanceof Error ? e.name : typeof e);
  }
}

/** A new chat (or offline message) exists; `appended` = the message joined an open one. */
export function chatStarted(issueKey: string, conv: ConversationProperty, opts: { appended: boolean; attachment?: boolean }): Promise<void> {
  return quietly('start', async () => {
    const f = facts(issueKey, conv);
    if (!opts.appended) {
      if (!(await readStats(issueKey))) await writeStats(issueKey, { v: 1, started: conv.started, channel: conv.channel, offline: conv.offline });
      await track(conv.offline ? 'offline_message' : 'chat_started', f, { at: Date.parse(conv.started) });
    }
    await track('chat_message', f, { sender: 'customer', attachment: opts.attachment ?? false });
  });
}

export function customerMessaged(issueKey: string, conv: ConversationProperty, attachment: boolean): Promise<void> {
  return quietly('customer message', () => track('chat_message', facts(issueKey, conv), { sender: 'customer', attachment }));
}

/** An agent answered: the first answer sets the chat's first response time (and maybe "missed"). */
export function agentMessaged(issueKey: string, conv: ConversationProperty, agentAccountId: string, attachment: boolean, nowMs = Date.now()): Promise<void> {
  return quietly('agent message', async () => {
    const f = facts(issueKey, conv);
    await track('chat_message', f, { sender: 'agent', attachment, agentAccountId });
    const stats = await readStats(issueKey);
    if (!stats || stats.firstResponseAt) return;
    const seconds = Math.max(0, Math.round((nowMs - Date.parse(stats.started)) / 1000));
    const missed = !stats.offline && !stats.missedEvent && seconds * 1000 > (await missedAfterMs());
    await writeStats(issueKey, {
      ...stats,
      firstResponseAt: new Date(nowMs).toISOString(),
      firstResponseSec: seconds,
      agent: agentAccountId,
      ...(missed ? { missedEvent: true } : {}),
    });
    await track('first_response', f, { seconds, agentAccountId });
    if (missed) await track('chat_missed', f, { seconds });
  });
}

/** The first close of a chat: its duration, and "missed" when no agent ever answered. */
export function chatClosed(issueKey: string, conv: ConversationProperty, nowMs: number): Promise<void> {
  return quietly('close', async () => {
    const f = facts(issueKey, conv);
    const stats = await readStats(issueKey);
    const started = Date.parse(stats?.started ?? conv.started);
    const seconds = Math.max(0, Math.round((nowMs - started) / 1000));
    if (stats?.closedAt) return; // a reopened chat closing again: counted once
    // Only chats recorded since stats exist: an older chat has no first response on record.
    const missed = stats !== undefined && !conv.offline && !stats.firstResponseAt && !stats.missedEvent;
    if (stats)
      await writeStats(issueKey, { ...stats, closedAt: new Date(nowMs).toISOString(), durationSec: seconds, ...(missed ? { missedEvent: true } : {}) });
    await track('chat_closed', f, { seconds });
    if (missed) await track('chat_missed', f, { seconds });
  });
}

/** A customer rated the chat (CSAT, 1-5). For the rating feature to call. */
export function chatRated(issueKey: string, conv: ConversationProperty, rating: number): Promise<void> {
  return quietly('rating', async () => {
    const stats = await readStats(issueKey);
    if (stats) await writeStats(issueKey, { ...stats, rating });
    await track('chat_rated', facts(issueKey, conv), { rating });
  });
}

/**
 * A live chat still waiting for its first answer past the threshold: `chat_missed` now,
 * once (the stats remember it), instead of only when it is answered late or closed.
 * `found` comes from search, which lags writes: the decision is made on a fresh read by key.
 */
export function chatWaitedTooLong(issueKey: string, conv: ConversationProperty, found: ChatStats, nowMs: number): Promise<void> {
  return quietly('missed', async () => {
    if (found.offline || found.firstResponseAt || found.missedEvent) return;
    const stats = await readStats(issueKey);
    if (!stats || stats.offline || stats.firstResponseAt || stats.missedEvent) return;
    const seconds = Math.max(0, Math.round((nowMs - Date.parse(stats.started)) / 1000));
    if (seconds * 1000 <= (await missedAfterMs())) return;
    await writeStats(issueKey, { ...stats, missedEvent: true });
    await track('chat_missed', facts(issueKey, conv), { seconds });
  });
}
