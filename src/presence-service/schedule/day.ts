import { DateTime, type IANAZone } from 'luxon';
import type { Interval, Schedule, Weekday } from '../../protocol/schedule.js';
import { offsetMs } from './zone.js';

const MINUTE_MS = 60_000;
const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A half-open range of instants [from, to) in epoch ms. */
export type Range = readonly [from: number, to: number];

/** "HH:MM" (or "24:00") as minutes since local midnight. */
export function minutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** The intervals that apply on a local date: its exception if there is one, else its weekday's. */
export function intervalsOn(schedule: Schedule, local: DateTime): readonly Interval[] {
  const date = local.toISODate();
  const exception = schedule.exceptions?.find((e) => e.date === date);
  if (exception) return exception.intervals;
  return schedule.weekly[WEEKDAYS[local.weekday - 1]!] ?? [];
}

/**
 * The instants at which the schedule is open on one local date. An interval is open
 * while the local wall clock reads start <= time < end on that date, so across a DST
 * change it is shorter (spring forward: the skipped hour never shows) or longer (fall
 * back: the repeated hour shows twice), exactly as a clock on the wall would have it.
 */
export function openRangesOn(schedule: Schedule, zone: IANAZone, day: DateTime): Range[] {
  const dayStart = day.startOf('day').toMillis();
  const dayEnd = day.plus({ days: 1 }).startOf('day').toMillis();
  const wallMidnight = Date.UTC(day.year, day.month - 1, day.day);
  const segments = offsetSegments(zone, dayStart, dayEnd);
  const ranges: [number, number][] = [];
  for (const interval of intervalsOn(schedule, day)) {
    const wallStart = wallMidnight + minutes(interval.start) * MINUTE_MS;
    const wallEnd = wallMidnight + minutes(interval.end) * MINUTE_MS;
    for (const seg of segments) {
      const from = Math.max(seg.from, wallStart - seg.offset);
      const to = Math.min(seg.to, wallEnd - seg.offset);
      if (from < to) ranges.push([from, to]);
    }
  }
  return merge(ranges);
}

interface Segment {
  from: number;
  to: number;
  offset: number;
}

/** Splits a local day at its DST transition, if it has one (found by bisection: it happens twice a year). */
function offsetSegments(zone: IANAZone, from: number, to: number): Segment[] {
  const first = offsetMs(zone, from);
  const last = offsetMs(zone, to - 1);
  if (first === last) return [{ from, to, offset: first }];
  let lo = from; // offset(lo) === first
  let hi = to - 1; // offset(hi) !== first
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(zone, mid) === first) lo = mid;
    else hi = mid;
  }
  return [
    { from, to: hi, offset: first },
    { from: hi, to, offset: last },
  ];
}

function merge(ranges: [number, number][]): Range[] {
  ranges.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of ranges) {
    const prev = out[out.length - 1];
    if (prev && r[0] <= prev[1]) prev[1] = Math.max(prev[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

export function localDay(zone: IANAZone, t: number): DateTime {
  return DateTime.fromMillis(t, { zone });
}
