import { z } from 'zod';
import { DATE_PATTERN, MAX_EXCEPTION_LABEL_CHARS, MAX_INTERVALS_PER_DAY, TIME_OF_DAY_PATTERN } from './limits.js';

const HHMM = z.string().regex(TIME_OF_DAY_PATTERN, 'a time "HH:MM" (00:00..24:00)');
export const Interval = z.object({ start: HHMM, end: HHMM }).refine((i) => i.start < i.end, { message: 'interval end must be after its start' });
export type Interval = z.infer<typeof Interval>;

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;

/** An exception date: closed all day (intervals empty) or special hours. */
export const ScheduleException = z.object({
  date: z.string().regex(DATE_PATTERN, 'a date "YYYY-MM-DD"'),
  intervals: z.array(Interval).max(MAX_INTERVALS_PER_DAY),
  label: z.string().max(MAX_EXCEPTION_LABEL_CHARS).optional(),
});
export type ScheduleException = z.infer<typeof ScheduleException>;

/**
 * Weekly opening hours in an IANA zone. Intervals are wall-clock times in that zone
 * (or in the visitor's own zone when the project's hoursZone is "visitor").
 */
export const Schedule = z.object({
  timeZone: z.string().min(1).max(64),
  weekly: z.record(Weekday, z.array(Interval).max(MAX_INTERVALS_PER_DAY)),
  exceptions: z.array(ScheduleException).max(366).default([]),
});
export type Schedule = z.infer<typeof Schedule>;

/**
 * The availability model, one rule for everything (see protocol/availability.ts):
 *   chats are answered now  =  opening hours are open (or none are set)
 *                              AND an agent is available (online, not forced offline,
 *                              inside their own hours if they set any);
 *   the widget shows        =  always (with the offline form while chats are not
 *                              answered), or only while chats are answered.
 * Hours are never ignored: there is no mode in which set hours do not apply.
 */
export const WidgetShows = z.enum(['always', 'when-answered']);
export type WidgetShows = z.infer<typeof WidgetShows>;
/** Whose wall clock the opening hours are read on: the project's zone, or each visitor's own. */
export const HoursZone = z.enum(['project', 'visitor']);
export type HoursZone = z.infer<typeof HoursZone>;

/**
 * The one setting that mixed both questions before (issue 11): kept only to read stored
 * configurations. "always" used to ignore the hours; it now means "widget always shows",
 * and set hours apply (ignoring them silently was the defect).
 */
export const LegacyVisibility = z.enum(['always', 'schedule-project', 'schedule-visitor', 'hide-when-unavailable']);
export type LegacyVisibility = z.infer<typeof LegacyVisibility>;
