import { DateTime } from 'luxon';
import type { Schedule } from '../../protocol/schedule.js';
import { intervalsOn, localDay, minutes, openRangesOn } from './day.js';
import { assertZone } from './zone.js';

/** How far ahead nextOpening looks past the last exception date (a week always repeats within 7 days). */
const SEARCH_DAYS = 14;
/** Exceptions span at most a year (protocol limit 366); never search further than this. */
const MAX_SEARCH_DAYS = 400;
const MINUTE_MS = 60_000;

/** Whether the schedule is open at this instant, reading its wall-clock hours in its own zone. */
export function isOpenAt(schedule: Schedule, instant: Date): boolean {
  return isOpenAtInZone(schedule, instant, schedule.timeZone);
}

/**
 * The same wall-clock hours read in another zone (visibility "schedule-visitor": a shop
 * open 09:00–17:00 is open 09:00–17:00 wherever the visitor is).
 */
export function isOpenAtInZone(schedule: Schedule, instant: Date, timeZone: string): boolean {
  const local = localDay(assertZone(timeZone), instant.getTime());
  const wall = local.hour * 60 * MINUTE_MS + local.minute * MINUTE_MS + local.second * 1000 + local.millisecond;
  return intervalsOn(schedule, local).some((i) => minutes(i.start) * MINUTE_MS <= wall && wall < minutes(i.end) * MINUTE_MS);
}

/**
 * The first instant at or after `instant` at which the schedule is open (the instant
 * itself when open now), or null when nothing opens within the search window.
 */
export function nextOpening(schedule: Schedule, instant: Date, timeZone: string = schedule.timeZone): Date | null {
  const zone = assertZone(timeZone);
  const t = instant.getTime();
  const today = localDay(zone, t).startOf('day');
  const days = Math.min(MAX_SEARCH_DAYS, Math.max(SEARCH_DAYS, daysUntilLastException(schedule, today) + SEARCH_DAYS));
  for (let d = 0; d <= days; d++) {
    for (const [from, to] of openRangesOn(schedule, zone, today.plus({ days: d }))) {
      if (to > t) return new Date(Math.max(from, t));
    }
  }
  return null;
}

function daysUntilLastException(schedule: Schedule, today: DateTime): number {
  let last = 0;
  for (const e of schedule.exceptions ?? []) {
    const date = DateTime.fromISO(e.date, { zone: today.zone });
    if (date.isValid) last = Math.max(last, Math.ceil(date.diff(today, 'days').days));
  }
  return last;
}
