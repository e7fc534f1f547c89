import { DEFAULT_AGENT_CAPACITY } from '../../../src/protocol/limits.js';
import { migrateVisibility } from '../../../src/protocol/availability.js';
import type { ProjectChatConfigInput, PrechatField } from '../../../src/protocol/model.js';
import type { ResolverResponse } from '../../../src/protocol/resolvers.js';
import type { Schedule, Weekday } from '../../../src/protocol/schedule.js';

/** The form edits exactly what projectSettings.save accepts. */
export type Draft = ProjectChatConfigInput;
export type Load = ResolverResponse<'projectSettings.load'>;

export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function defaultSchedule(timeZone = localZone()): Schedule {
  const work = [{ start: '09:00', end: '17:00' }];
  return { timeZone, weekly: { mon: work, tue: work, wed: work, thu: work, fri: work, sat: [], sun: [] }, exceptions: [] };
}

/** Settings to edit: the saved ones, or first-time defaults that mirror the contract's defaults. */
export function toDraft(load: Load, projectKey: string): Draft {
  if (load.config) {
    // A configuration saved before issue 11 may still say `visibility`.
    const { widgetId: _w, updatedAt: _u, hasIdentitySecret: _h, ...rest } = migrateVisibility(load.config);
    return {
      ...rest,
      widgetShows: rest.widgetShows ?? 'always',
      hoursZone: rest.hoursZone ?? 'project',
      assignment: rest.assignment ?? { mode: 'off', capacity: DEFAULT_AGENT_CAPACITY, capacities: {} },
    };
  }
  return {
    projectKey,
    projectId: load.projectId,
    serviceDeskId: load.serviceDeskId ?? '',
    requestTypeId: load.requestTypes[0]?.id ?? '',
    enabled: true,
    allowedOrigins: [],
    widget: {
      teamName: 'Support',
      color: '#0052CC',
      position: 'right',
      greeting: 'Hi! How can we help?',
      offlineText: "We're away right now. Leave a message and we'll reply by email.",
      locale: 'auto',
      requireName: true,
      requireEmail: true,
      prechatFields: [],
      attachments: true,
    },
    widgetShows: 'always',
    hoursZone: 'project',
    schedule: null,
    verification: 'off',
    assignment: { mode: 'off', capacity: DEFAULT_AGENT_CAPACITY, capacities: {} },
  };
}

/** A field id the contract accepts (^[a-z][a-z0-9_]{0,31}$), unique in the list. */
export function fieldId(label: string, taken: readonly PrechatField[]): string {
  const base = ('f_' + label.toLowerCase().replace(/[^a-z0-9]+/g, '_')).replace(/_+$/, '').slice(0, 28) || 'f';
  let id = base;
  for (let i = 2; taken.some((f) => f.id === id); i++) id = `${base}_${i}`;
  return id;
}

/** A website origin as the service compares it, or null when the input is not one. */
export function normalizeOrigin(input: string): string | null {
  const s = input.trim();
  if (!/^https?:\/\//i.test(s)) return null;
  try {
    const u = new URL(s);
    if (!u.hostname || u.username || u.password) return null;
    if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return null;
    return u.origin;
  } catch {
    return null;
  }
}
