/**
 * The same rules the app's zod schemas apply (src/protocol/model.ts, schedule.ts),
 * checked here first so the messages sit next to the fields. Keys are field paths.
 */
import type { Schedule } from '../../../src/protocol/schedule.js';
import { normalizeOrigin, WEEKDAYS, type Draft } from './draft.js';
import { t } from './strings.js';

export type Errors = Record<string, string>;

/** Limits from the shared schemas (model.ts). */
const MAX_TEAM_NAME = 80;
const MAX_TEXT = 500;
const MAX_ORIGINS = 50;
const MAX_ORIGIN_CHARS = 255;
const MAX_FIELD_LABEL = 100;
const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;

export function validateDraft(d: Draft): Errors {
  const e: Errors = {};
  if (!d.requestTypeId) e.requestTypeId = t.err.required;
  const w = d.widget;
  if (!w.teamName.trim() || w.teamName.length > MAX_TEAM_NAME) e['widget.teamName'] = t.err.teamName;
  if (!/^#[0-9a-fA-F]{6}$/.test(w.color)) e['widget.color'] = t.err.color;
  if (w.greeting.length > MAX_TEXT) e['widget.greeting'] = t.err.tooLong(MAX_TEXT);
  if (w.offlineText.length > MAX_TEXT) e['widget.offlineText'] = t.err.tooLong(MAX_TEXT);
  w.prechatFields.forEach((f, i) => {
    if (!f.label.trim() || f.label.length > MAX_FIELD_LABEL) e[`prechat.${i}.label`] = t.err.fieldLabel;
    if (f.type === 'select' && !(f.options ?? []).length) e[`prechat.${i}.options`] = t.err.fieldOptions;
  });
  if (d.allowedOrigins.length > MAX_ORIGINS) e.origins = t.err.tooMany(MAX_ORIGINS);
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
    if (!/^\d{4}-\d{2}-\d{2}$/.test(x.date)) e[key] = t.err.date;
    else if (seen.has(x.date)) e[key] = t.err.dateDuplicate;
    seen.add(x.date);
    x.intervals.forEach((iv, j) => {
      if (!HHMM.test(iv.start) || !HHMM.test(iv.end)) e[`${key}.${j}`] = t.err.time;
      else if (iv.start >= iv.end) e[`${key}.${j}`] = t.err.interval;
    });
  });
  return e;
}
