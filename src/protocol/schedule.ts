import { z } from 'zod';
import { DATE_PATTERN, MAX_EXCEPTION_LABEL_CHARS, MAX_INTERVALS_PER_DAY, TIME_OF_DAY_PATTERN } from './limits.js';

const HHMM = z.string().regex(TIME_OF_DAY_PATTERN, 'a time "HH:MM" (00:00..24:00)');
export const Interval = z
  .object({ start: HHMM, end: HHMM })
  .refine((i) => i.start < i.end, { message: 'interval end must be after its start' });
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
 * (or in the visitor's own zone for visibility "schedule-visitor").
 */
export const Schedule = z.object({
  timeZone: z.string().min(1).max(64),
  weekly: z.record(Weekday, z.array(Interval).max(MAX_INTERVALS_PER_DAY)),
  exceptions: z.array(ScheduleException).max(366).default([]),
});
export type Schedule = z.infer<typeof Schedule>;

export const VisibilityMode = z.enum(['always', 'schedule-project', 'schedule-visitor', 'hide-when-unavailable']);
export type VisibilityMode = z.infer<typeof VisibilityMode>;
