/**
 * What a visitor is told about the team: schedule/availability() over the project's
 * configuration and the agents' presence and own schedules. With hoursZone "visitor"
 * the visitor's zone is passed through, so each socket gets its own answer.
 */
import type { Availability, ProjectChatConfig } from '../../protocol/model.js';
import { availability, type AgentAvailabilityInput } from '../schedule/index.js';
import { singleFlight } from '../single-flight.js';

export class AvailabilityService {
  /** Every visitor of a project re-evaluates at once on an agent's change: share the read. */
  private readonly agentInputs: (installationId: string, projectKey: string) => Promise<AgentAvailabilityInput[]>;

  constructor(
    agentInputs: (installationId: string, projectKey: string) => Promise<AgentAvailabilityInput[]>,
    private readonly now: () => number,
  ) {
    this.agentInputs = singleFlight((installationId: string, projectKey: string) => `${installationId}/${projectKey}`, agentInputs);
  }

  async forProject(installationId: string, config: ProjectChatConfig, visitorZone?: string): Promise<Availability> {
    return availability({
      widgetShows: config.widgetShows,
      projectSchedule: config.schedule,
      hoursZone: config.hoursZone,
      agents: await this.agentInputs(installationId, config.projectKey),
      now: new Date(this.now()),
      ...(visitorZone ? { visitorZone } : {}),
    });
  }
}
