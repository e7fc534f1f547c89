/**
 * The settings page's live preview of the availability model: the same rule the
 * presence service applies (protocol/availability.ts), over the draft's hours and the
 * agents' presence as loaded. The sentence is what an admin needs to trust the model:
 * "Now: online — 2 agents available" / "Now: away — back Monday at 09:00".
 */
import {
  nextOpeningWallClock,
  openAtWallClock,
  teamState,
  wallClockIn,
  widgetVisible,
  weekdayOf,
  type TeamState,
  type WallClock,
} from '../../../src/protocol/availability.js';
import type { HoursZone, Schedule, WidgetShows } from '../../../src/protocol/schedule.js';
import { localZone } from './draft.js';
import { t } from './strings.js';

export interface PreviewAgent {
  status: 'online' | 'away' | 'offline';
  available: boolean;
  forcedOffline?: boolean;
}

export interface PreviewInput {
  widgetShows: WidgetShows;
  schedule: Schedule | null;
  hoursZone: HoursZone;
  agents: readonly PreviewAgent[];
  now: Date;
  /** The admin's own zone, standing in for "a visitor" when hours are read in the visitor's zone. */
  viewerZone?: string;
}

export interface Preview {
  state: TeamState;
  visible: boolean;
  sentence: string;
}

/** Days within which "back Monday" is clear; further away the date is named. */
const NAME_WEEKDAY_WITHIN_DAYS = 6;

export function preview(input: PreviewInput): Preview {
  const agentsAvailable = input.agents.filter((a) => a.available && !a.forcedOffline).length;
  const agentsPresent = input.agents.filter((a) => a.status !== 'offline' && !a.forcedOffline).length;
  let wall: WallClock | null = null;
  let hoursOpen = true;
  if (input.schedule) {
    const zone = input.hoursZone === 'visitor' ? (input.viewerZone ?? localZone()) : input.schedule.timeZone;
    wall = safeWallClock(zone, input.now);
    hoursOpen = wall === null || openAtWallClock(input.schedule, wall);
  }
  const state = teamState({ hoursOpen, agentsAvailable, agentsPresent });
  const visible = widgetVisible(input.widgetShows, state);
  let reason: string;
  if (!hoursOpen && input.schedule && wall) {
    const next = nextOpeningWallClock(input.schedule, wall);
    reason = next ? t.preview.backAt(when(wall, next)) : t.preview.noOpening;
  } else if (state === 'online') reason = t.preview.agentsAvailable(agentsAvailable);
  else if (state === 'away') reason = t.preview.noneAvailable;
  else reason = t.preview.nobodyOnline;
  const label = state === 'online' ? t.preview.online : t.preview.away;
  return { state, visible, sentence: `${t.preview.now}: ${label} — ${reason}${visible ? '' : ` ${t.preview.hidden}`}` };
}

function safeWallClock(zone: string, now: Date): WallClock | null {
  try {
    return wallClockIn(zone, now);
  } catch {
    return null; // an unknown zone: the editor flags it; the service refuses it
  }
}

function when(now: WallClock, next: WallClock): string {
  const time = `${String(Math.floor(next.minutes / 60)).padStart(2, '0')}:${String(next.minutes % 60).padStart(2, '0')}`;
  const days = Math.round((Date.parse(`${next.date}T00:00:00Z`) - Date.parse(`${now.date}T00:00:00Z`)) / 86_400_000);
  if (days === 0) return t.preview.today(time);
  if (days <= NAME_WEEKDAY_WITHIN_DAYS) return t.preview.onDay(t.weekdays[weekdayOf(next.date)]!, time);
  return t.preview.onDate(next.date, time);
}
