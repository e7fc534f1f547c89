/**
 * The page checks a draft with the contract's own schemas (src/protocol/model.ts,
 * schedule.ts), so it can never accept what projectSettings.save refuses, and places each
 * issue next to its field with a message saying what to enter. Keys are field paths.
 * A few rules are the page's own and stricter than the contract (pageRules).
 */
import type { z } from 'zod';
import { ProjectChatConfigInput } from '../../../src/protocol/model.js';
import { Schedule } from '../../../src/protocol/schedule.js';
import { normalizeOrigin, type Draft } from './draft.js';
import { t } from './strings.js';

export type Errors = Record<string, string>;
type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** Issues the page cannot place next to a field are listed together under this key, with their path. */
export const FORM_ERRORS = 'form';

export function validateDraft(d: Draft): Errors {
  const e: Errors = {};
  const parsed = ProjectChatConfigInput.safeParse(d);
  if (!parsed.success) for (const issue of parsed.error.issues) place(e, draftField(issue.path), issue);
  pageRules(d, e);
  return e;
}

export function validateSchedule(s: Schedule, prefix: string): Errors {
  const e: Errors = {};
  const parsed = Schedule.safeParse(s);
  if (!parsed.success) for (const issue of parsed.error.issues) place(e, scheduleField(issue.path, prefix), issue);
  duplicateDates(s, prefix, e);
  return e;
}

/** What the page asks beyond the contract: a team name that is not only blanks, choices for a select, a bare origin, each exception date once. */
function pageRules(d: Draft, e: Errors): void {
  if (!d.widget.teamName.trim()) e['widget.teamName'] ??= t.err.teamName;
  d.widget.prechatFields.forEach((f, i) => {
    if (!f.label.trim()) e[`prechat.${i}.label`] ??= t.err.fieldLabel;
    if (f.type === 'select' && !(f.options ?? []).length) e[`prechat.${i}.options`] ??= t.err.fieldOptions;
  });
  d.allowedOrigins.forEach((o, i) => {
    if (normalizeOrigin(o) === null) e[`origins.${i}`] ??= t.err.origin;
  });
  if (d.schedule) duplicateDates(d.schedule, 'schedule', e);
}

function duplicateDates(s: Schedule, prefix: string, e: Errors): void {
  const seen = new Set<string>();
  s.exceptions.forEach((x, i) => {
    if (seen.has(x.date)) e[`${prefix}.ex.${i}`] ??= t.err.dateDuplicate;
    seen.add(x.date);
  });
}

/** The first issue of a field is the one shown. */
function place(e: Errors, field: string | null, issue: Issue): void {
  if (field) e[field] ??= message(field, issue);
  else e[FORM_ERRORS] = [e[FORM_ERRORS], `${issue.path.join('.')}: ${issue.message}`].filter(Boolean).join('; ');
}

/** Where a contract issue shows on the settings form (null: nowhere of its own). */
function draftField(path: Path): string | null {
  const [head, second, third, fourth] = path;
  if (head === 'requestTypeId') return head;
  if (head === 'widget' && second === 'prechatFields' && typeof third === 'number') return `prechat.${third}.${fourth === 'options' ? 'options' : 'label'}`;
  if (head === 'widget' && typeof second === 'string') return `widget.${second}`;
  if (head === 'allowedOrigins') return second === undefined ? 'origins' : `origins.${String(second)}`;
  if (head === 'schedule') return scheduleField(path.slice(1), 'schedule');
  return null;
}

/** Where a schedule issue shows in ScheduleEditor (errorPrefix `prefix`). */
function scheduleField(path: Path, prefix: string): string | null {
  const [head, second, third, fourth] = path;
  if (head === 'timeZone') return `${prefix}.timeZone`;
  if (head === 'weekly' && third !== undefined) return `${prefix}.${String(second)}.${String(third)}`;
  if (head === 'exceptions' && second !== undefined)
    return third === 'intervals' && fourth !== undefined ? `${prefix}.ex.${String(second)}.${String(fourth)}` : `${prefix}.ex.${String(second)}`;
  return null;
}

/** What to tell the admin, by field and by what the schema found. */
function message(field: string, issue: Issue): string {
  // A limit reads the same on every field: how many characters, or how many entries.
  if (issue.code === 'too_big') return issue.origin === 'array' ? t.err.tooMany(Number(issue.maximum)) : t.err.tooLong(Number(issue.maximum));
  if (field === 'requestTypeId') return t.err.required;
  if (field === 'widget.teamName') return t.err.teamName;
  if (field === 'widget.color') return t.err.color;
  if (/^origins\.\d+$/.test(field)) return t.err.origin;
  if (field.endsWith('.label')) return t.err.fieldLabel;
  if (field.endsWith('.options')) return t.err.fieldOptions;
  if (field.endsWith('.timeZone')) return t.err.timeZone;
  // An interval: the refine says the end is not after the start; anything else is the time itself.
  if (/\.(mon|tue|wed|thu|fri|sat|sun)\.\d+$|\.ex\.\d+\.\d+$/.test(field)) return issue.code === 'custom' ? t.err.interval : t.err.time;
  if (/\.ex\.\d+$/.test(field)) return t.err.date;
  return issue.message;
}
