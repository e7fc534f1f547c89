import type { AgentStatus, Availability } from '../../protocol/model.js';
import type { Schedule, VisibilityMode } from '../../protocol/schedule.js';
import { isOpenAt, isOpenAtInZone, nextOpening } from './open.js';
import { isValidZone } from './zone.js';

export interface AgentAvailabilityInput {
  status: AgentStatus;
  schedule: Schedule | null;
  forcedOffline?: boolean;
}

export interface AvailabilityInput {
  visibility: VisibilityMode;
  projectSchedule: Schedule | null;
  agents: readonly AgentAvailabilityInput[];
  now: Date;
  /** The visitor's IANA zone (from the browser, so untrusted): used by "schedule-visitor". */
  visitorZone?: string;
}

/** Online, not forced offline by an admin, and inside the agent's own schedule if they have one. */
export function isAgentAvailable(agent: AgentAvailabilityInput, now: Date): boolean {
  return agent.status === 'online' && !agent.forcedOffline && (agent.schedule === null || isOpenAt(agent.schedule, now));
}

/**
 * What a visitor is told about the team. The project schedule applies in every mode but
 * "always"; "schedule-visitor" reads it in the visitor's zone (falling back to the
 * project's zone when the visitor sent none or an unknown one); "hide-when-unavailable"
 * hides the widget unless an agent is available now.
 */
export function availability(input: AvailabilityInput): Availability {
  const { visibility, projectSchedule, now } = input;
  const zone = projectSchedule ? scheduleZone(projectSchedule, visibility, input.visitorZone) : null;
  const closed = projectSchedule !== null && zone !== null && !isOpenAtInZone(projectSchedule, now, zone);
  const state = closed ? 'offline' : teamState(input.agents, now);
  const next = closed ? nextOpening(projectSchedule, now, zone!) : null;
  return {
    state,
    visible: visibility !== 'hide-when-unavailable' || state === 'online',
    nextOpenAt: next ? next.toISOString() : null,
  };
}

function teamState(agents: readonly AgentAvailabilityInput[], now: Date): Availability['state'] {
  if (agents.some((a) => isAgentAvailable(a, now))) return 'online';
  // Present but not available: status away, or online outside their own hours.
  if (agents.some((a) => !a.forcedOffline && a.status !== 'offline')) return 'away';
  return 'offline';
}

/** The zone the project schedule is read in, or null when the mode ignores the schedule. */
function scheduleZone(schedule: Schedule, visibility: VisibilityMode, visitorZone: string | undefined): string | null {
  if (visibility === 'always') return null;
  if (visibility === 'schedule-visitor' && isValidZone(visitorZone)) return visitorZone;
  return schedule.timeZone;
}
