import type { AgentStatus, Availability } from '../../protocol/model.js';
import type { HoursZone, Schedule, WidgetShows } from '../../protocol/schedule.js';
import { teamState, widgetVisible } from '../../protocol/availability.js';
import { isOpenAt, isOpenAtInZone, nextOpening } from './open.js';
import { isValidZone } from './zone.js';

export interface AgentAvailabilityInput {
  status: AgentStatus;
  schedule: Schedule | null;
  forcedOffline?: boolean;
}

export interface AvailabilityInput {
  widgetShows: WidgetShows;
  projectSchedule: Schedule | null;
  hoursZone: HoursZone;
  agents: readonly AgentAvailabilityInput[];
  now: Date;
  /** The visitor's IANA zone (from the browser, so untrusted): used when hoursZone is "visitor". */
  visitorZone?: string;
}

/** Online, not forced offline by an admin, and inside the agent's own schedule if they have one. */
export function isAgentAvailable(agent: AgentAvailabilityInput, now: Date): boolean {
  return agent.status === 'online' && !agent.forcedOffline && (agent.schedule === null || isOpenAt(agent.schedule, now));
}

/**
 * What a visitor is told about the team, by the one rule in protocol/availability.ts:
 * set opening hours always apply; hoursZone "visitor" reads them in the visitor's zone
 * (falling back to the project's zone when the visitor sent none or an unknown one).
 */
export function availability(input: AvailabilityInput): Availability {
  const { projectSchedule, now } = input;
  const zone = projectSchedule ? scheduleZone(projectSchedule, input.hoursZone, input.visitorZone) : null;
  const hoursOpen = projectSchedule === null || isOpenAtInZone(projectSchedule, now, zone!);
  const state = teamState({
    hoursOpen,
    agentsAvailable: input.agents.filter((a) => isAgentAvailable(a, now)).length,
    // Present but maybe not available: status away, or online outside their own hours.
    agentsPresent: input.agents.filter((a) => !a.forcedOffline && a.status !== 'offline').length,
  });
  const next = hoursOpen ? null : nextOpening(projectSchedule!, now, zone!);
  return { state, visible: widgetVisible(input.widgetShows, state), nextOpenAt: next ? next.toISOString() : null };
}

function scheduleZone(schedule: Schedule, hoursZone: HoursZone, visitorZone: string | undefined): string {
  if (hoursZone === 'visitor' && isValidZone(visitorZone)) return visitorZone;
  return schedule.timeZone;
}
