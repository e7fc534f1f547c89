import { z } from 'zod';

const HHMM = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/, 'a time "HH:MM" (00:00..24:00)');
export const Interval = z
  .object({ start: HHMM, end: HHMM })
  .refine((i) => i.start < i.end, { message: 'interval end must be after its start' });
export type Interval = z.infer<typeof Interval>;

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;

/** An exception date: closed all day (intervals empty) or special hours. */
export const ScheduleException = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date "YYYY-MM-DD"'),
  intervals: z.array(Interval).max(8),
  label: z.string().max(100).optional(),
});
export type ScheduleException = z.infer<typeof ScheduleException>;

/**
 * Weekly opening hours in an IANA zone. Intervals are wall-clock times in that zone
 * (or in the visitor's own zone for visibility "schedule-visitor").
 */
export const Schedule = z.object({
  timeZone: z.string().min(1).max(64),
  weekly: z.record(Weekday, z.array(Interval).max(8)),
  exceptions: z.array(ScheduleException).max(366).default([]),
});
export type Schedule = z.infer<typeof Schedule>;

export const VisibilityMode = z.enum(['always', 'schedule-project', 'schedule-visitor', 'hide-when-unavailable']);
export type VisibilityMode = z.infer<typeof VisibilityMode>;
