/**
 * The same rules the app's zod schemas apply (src/protocol/model.ts, schedule.ts),
 * checked here first so the messages sit next to the fields. Keys are field paths.
 */
import type { Schedule } from '../../../src/protocol/schedule.js';
import {
  DATE_PATTERN,
  HEX_COLOUR_PATTERN,
  MAX_ALLOWED_ORIGINS,
  MAX_FIELD_LABEL_CHARS,
  MAX_ORIGIN_CHARS,
  MAX_TEAM_NAME_CHARS,
  MAX_WIDGET_TEXT_CHARS,
  TIME_OF_DAY_PATTERN as HHMM,
} from '../../../src/protocol/limits.js';
import { normalizeOrigin, WEEKDAYS, type Draft } from './draft.js';
import { t } from './strings.js';

export type Errors = Record<string, string>;


export function validateDraft(d: Draft): Errors {
  const e: Errors = {};
  if (!d.requestTypeId) e.requestTypeId = t.err.required;
  const w = d.widget;
  if (!w.teamName.trim() || w.teamName.length > MAX_TEAM_NAME_CHARS) e['widget.teamName'] = t.err.teamName;
  if (!HEX_COLOUR_PATTERN.test(w.color)) e['widget.color'] = t.err.color;
  if (w.greeting.length > MAX_WIDGET_TEXT_CHARS) e['widget.greeting'] = t.err.tooLong(MAX_WIDGET_TEXT_CHARS);
  if (w.offlineText.length > MAX_WIDGET_TEXT_CHARS) e['widget.offlineText'] = t.err.tooLong(MAX_WIDGET_TEXT_CHARS);
  w.prechatFields.forEach((f, i) => {
    if (!f.label.trim() || f.label.length > MAX_FIELD_LABEL_CHARS) e[`prechat.${i}.label`] = t.err.fieldLabel;
    if (f.type === 'select' && !(f.options ?? []).length) e[`prechat.${i}.options`] = t.err.fieldOptions;
  });
  if (d.allowedOrigins.length > MAX_ALLOWED_ORIGINS) e.origins = t.err.tooMany(MAX_ALLOWED_ORIGINS);
  d.allowedOrigins.forEach((o, i) => {
    if (normalizeOrigin(o) === null || o.length > MAX_ORIGIN_CHARS) e[`origins.${i}`] = t.err.origin;
  });
  if (d.schedule) Object.assign(e, validateSchedule(d.schedule, 'schedule'));
  return e;
}

export function validateSchedule(s: Schedule, prefix: string): Errors {
  const e: Errors = {};
  if (!s.timeZone) e[`${prefix}.timeZone`] = t.err.timeZone;
  for (const day of WEEKDAYS) {
    (s.weekly[day] ?? []).forEach((iv, i) => {
      const key = `${prefix}.${day}.${i}`;
      if (!HHMM.test(iv.start) || !HHMM.test(iv.end)) e[key] = t.err.time;
      else if (iv.start >= iv.end) e[key] = t.err.interval;
    });
  }
  const seen = new Set<string>();
  s.exceptions.forEach((x, i) => {
    const key = `${prefix}.ex.${i}`;
    if (!DATE_PATTERN.test(x.date)) e[key] = t.err.date;
    else if (seen.has(x.date)) e[key] = t.err.dateDuplicate;
    seen.add(x.date);
    x.intervals.forEach((iv, j) => {
      if (!HHMM.test(iv.start) || !HHMM.test(iv.end)) e[`${key}.${j}`] = t.err.time;
      else if (iv.start >= iv.end) e[`${key}.${j}`] = t.err.interval;
    });
  });
  return e;
}
