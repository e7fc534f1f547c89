/**
 * Chat reports: the numbers, computed from `chat.stats` issue properties (chat-stats.ts),
 * and their CSV. Pure functions, shared by the app (which computes) and the reports UI
 * (which exports CSV), so the page, the CSV and the tests read one definition.
 * Days and hours are UTC.
 */
import type { ChatStats } from './chat-stats.js';

/** The longest period one report covers. */
export const MAX_REPORT_DAYS = 92;
/** Chats one report reads from Jira at most (then `truncated`). */
export const MAX_REPORT_CHATS = 5_000;

/** Kept free of zod (its schema is in resolvers-analytics.ts): the reports page bundles this file. */
export interface ChatReport {
  from: string;
  to: string;
  missedAfterMinutes: number;
  totals: {
    chats: number;
    offline: number;
    answered: number;
    missed: number;
    medianFirstResponseSec: number | null;
    p90FirstResponseSec: number | null;
    ratings: number;
    averageRating: number | null;
  };
  days: { date: string; chats: number; missed: number; offline: number; medianFirstResponseSec: number | null; p90FirstResponseSec: number | null }[];
  agents: { accountId: string; name: string; chats: number; medianFirstResponseSec: number | null }[];
  /** heatmap[weekday][hour]: chats started; weekday 0 = Monday. */
  heatmap: number[][];
  ratings: { rating: number; count: number }[];
  truncated: boolean;
}

/** Nearest-rank percentile (p in 0..100) of whole seconds; null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/**
 * Missed: a live chat (not an offline message) whose first agent answer came later than
 * the threshold, or never came (and the threshold has passed by `nowMs`).
 */
export function isMissed(s: ChatStats, thresholdMs: number, nowMs: number): boolean {
  if (s.offline) return false;
  if (s.firstResponseSec !== undefined) return s.firstResponseSec * 1000 > thresholdMs;
  return nowMs - Date.parse(s.started) > thresholdMs;
}

function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

export function computeReport(
  chats: readonly ChatStats[],
  opts: { from: string; to: string; missedAfterMinutes: number; nowMs: number; names: Record<string, string>; truncated?: boolean },
): ChatReport {
  const threshold = opts.missedAfterMinutes * 60_000;
  const inPeriod = chats.filter((c) => {
    const d = c.started.slice(0, 10);
    return d >= opts.from && d <= opts.to;
  });
  const frt = (list: readonly ChatStats[]) => list.flatMap((c) => (c.firstResponseSec === undefined ? [] : [c.firstResponseSec]));
  const live = inPeriod.filter((c) => !c.offline);
  const rated = inPeriod.flatMap((c) => (c.rating === undefined ? [] : [c.rating]));
  const days = daysOf(opts.from, opts.to).map((date) => {
    const day = inPeriod.filter((c) => new Date(c.started).toISOString().slice(0, 10) === date);
    const times = frt(day.filter((c) => !c.offline));
    return {
      date,
      chats: day.length,
      missed: day.filter((c) => isMissed(c, threshold, opts.nowMs)).length,
      offline: day.filter((c) => c.offline).length,
      medianFirstResponseSec: percentile(times, 50),
      p90FirstResponseSec: percentile(times, 90),
    };
  });
  const byAgent = new Map<string, ChatStats[]>();
  for (const c of live) if (c.agent) byAgent.set(c.agent, [...(byAgent.get(c.agent) ?? []), c]);
  const agents = [...byAgent.entries()]
    .map(([accountId, list]) => ({
      accountId,
      name: opts.names[accountId] ?? 'Unknown agent',
      chats: list.length,
      medianFirstResponseSec: percentile(frt(list), 50),
    }))
    .sort((a, b) => b.chats - a.chats || a.name.localeCompare(b.name));
  const heatmap = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  for (const c of inPeriod) {
    const d = new Date(c.started);
    (heatmap[(d.getUTCDay() + 6) % 7] as number[])[d.getUTCHours()]! += 1;
  }
  const times = frt(live);
  return {
    from: opts.from,
    to: opts.to,
    missedAfterMinutes: opts.missedAfterMinutes,
    totals: {
      chats: inPeriod.length,
      offline: inPeriod.length - live.length,
      answered: times.length,
      missed: live.filter((c) => isMissed(c, threshold, opts.nowMs)).length,
      medianFirstResponseSec: percentile(times, 50),
      p90FirstResponseSec: percentile(times, 90),
      ratings: rated.length,
      averageRating: rated.length ? Math.round((rated.reduce((a, b) => a + b, 0) / rated.length) * 100) / 100 : null,
    },
    days,
    agents,
    heatmap,
    ratings: [1, 2, 3, 4, 5].map((rating) => ({ rating, count: rated.filter((r) => r === rating).length })),
    truncated: opts.truncated ?? false,
  };
}

const cell = (v: string | number | null): string => {
  if (v === null) return '';
  const s = String(v);
  // Quoted when needed (RFC 4180), and a leading =,+,-,@ neutralised so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
const rows = (header: string[], body: (string | number | null)[][]) => [header, ...body].map((r) => r.map(cell).join(',')).join('\r\n');

/** One CSV with a section per table (the same numbers as the charts and their tables). */
export function reportCsv(r: ChatReport): string {
  const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
  const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  return (
    [
      rows(
        ['from', 'to', 'chats', 'offline', 'answered', 'missed', 'median_first_response_s', 'p90_first_response_s', 'ratings', 'average_rating'],
        [
          [
            r.from,
            r.to,
            r.totals.chats,
            r.totals.offline,
            r.totals.answered,
            r.totals.missed,
            r.totals.medianFirstResponseSec,
            r.totals.p90FirstResponseSec,
            r.totals.ratings,
            r.totals.averageRating,
          ],
        ],
      ),
      rows(
        ['date', 'chats', 'missed', 'offline', 'median_first_response_s', 'p90_first_response_s'],
        r.days.map((d) => [d.date, d.chats, d.missed, d.offline, d.medianFirstResponseSec, d.p90FirstResponseSec]),
      ),
      rows(
        ['agent', 'chats', 'median_first_response_s'],
        r.agents.map((a) => [a.name, a.chats, a.medianFirstResponseSec]),
      ),
      rows(
        ['weekday_utc', ...hours],
        r.heatmap.map((row, i) => [weekdays[i] as string, ...row]),
      ),
      rows(
        ['rating', 'count'],
        r.ratings.map((x) => [x.rating, x.count]),
      ),
    ].join('\r\n\r\n') + '\r\n'
  );
}
