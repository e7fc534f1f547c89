/**
 * The availability model's one rule, shared by the presence service (which tells
 * visitors) and the project settings page (which previews it): see schedule.ts for the
 * model in words. Pure and zone-free: callers pass what is true now.
 *
 * The wall-clock helpers below read a schedule by local date and time only, so the
 * settings page can preview it without a time-zone library (Intl gives the wall clock).
 * The service reads instants with its DST-exact code in presence-service/schedule.
 */
import type { HoursZone, Interval, LegacyVisibility, Schedule, Weekday, WidgetShows } from './schedule.js';

export type TeamState = 'online' | 'away' | 'offline';

export interface AvailabilityFacts {
  /** The project's opening hours are open now, or none are set. */
  hoursOpen: boolean;
  /** Agents online, not forced offline, inside their own hours. */
  agentsAvailable: number;
  /** Agents online or away (not offline, not forced offline), available or not. */
  agentsPresent: number;
}

/**
 * online: chats are answered now. away: inside opening hours, agents are around but none
 * available. offline: outside opening hours, or nobody there.
 */
export function teamState(f: AvailabilityFacts): TeamState {
  if (!f.hoursOpen) return 'offline';
  if (f.agentsAvailable > 0) return 'online';
  return f.agentsPresent > 0 ? 'away' : 'offline';
}

/** Whether the widget shows: always (offering the offline form), or only while chats are answered. */
export function widgetVisible(widgetShows: WidgetShows, state: TeamState): boolean {
  return widgetShows === 'always' || state === 'online';
}

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** Exceptions span at most a year (schema max 366), so a next opening is within this many days or never. */
const MAX_LOOKAHEAD_DAYS = 400;

/** A local date and time in some zone: date "YYYY-MM-DD", minutes since local midnight. */
export interface WallClock {
  date: string;
  minutes: number;
}

export function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** The weekday of a "YYYY-MM-DD" date (calendar arithmetic, no zone involved). */
export function weekdayOf(date: string): Weekday {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return WEEKDAYS[(d + 6) % 7]!;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The intervals on a date: its exception if there is one (holidays, special hours), else its weekday's. */
export function intervalsOnDate(schedule: Schedule, date: string): readonly Interval[] {
  const exception = schedule.exceptions?.find((e) => e.date === date);
  if (exception) return exception.intervals;
  return schedule.weekly[weekdayOf(date)] ?? [];
}

export function openAtWallClock(schedule: Schedule, at: WallClock): boolean {
  return intervalsOnDate(schedule, at.date).some((i) => toMinutes(i.start) <= at.minutes && at.minutes < toMinutes(i.end));
}

/** The next wall-clock opening strictly after `at` (the start of an interval), or null when none within a year. */
export function nextOpeningWallClock(schedule: Schedule, at: WallClock): WallClock | null {
  for (let d = 0; d <= MAX_LOOKAHEAD_DAYS; d++) {
    const date = addDays(at.date, d);
    const starts = intervalsOnDate(schedule, date)
      .map((i) => toMinutes(i.start))
      .filter((m) => d > 0 || m > at.minutes)
      .sort((a, b) => a - b);
    if (starts.length) return { date, minutes: starts[0]! };
  }
  return null;
}

/** The wall clock in an IANA zone at an instant, by Intl (browsers and Node alike). */
export function wallClockIn(zone: string, instant: Date): WallClock {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** The old single `visibility` setting as the two questions it mixed (see LegacyVisibility). */
export function fromLegacyVisibility(v: LegacyVisibility): { widgetShows: WidgetShows; hoursZone: HoursZone } {
  return {
    widgetShows: v === 'hide-when-unavailable' ? 'when-answered' : 'always',
    hoursZone: v === 'schedule-visitor' ? 'visitor' : 'project',
  };
}

const LEGACY: readonly string[] = ['always', 'schedule-project', 'schedule-visitor', 'hide-when-unavailable'];

/**
 * Rewrites a configuration that still has the old `visibility` field into
 * widgetShows/hoursZone (new fields win when both are present); anything else passes
 * through. Zod-free so the settings page can apply it to what it loads too.
 */
export function migrateVisibility<T>(raw: T): T {
  if (typeof raw !== 'object' || raw === null || !('visibility' in raw)) return raw;
  const { visibility, ...rest } = raw as Record<string, unknown>;
  if (typeof visibility !== 'string' || !LEGACY.includes(visibility)) return rest as T;
  return { ...fromLegacyVisibility(visibility as LegacyVisibility), ...rest } as T;
}
