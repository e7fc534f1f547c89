/**
 * Agents' presence per project. Two layers:
 * - the status an agent chose (or an admin forced) — ephemeral with a long TTL;
 * - whether the agent is connected — a member set with a short TTL, touched on every
 *   heartbeat, so the agents of a crashed instance drop out by themselves.
 * An agent counts as online only when both say so. Changes are announced on the bus.
 */
import type { AgentPresence, AgentStatus, Schedule } from '../../protocol/index.js';
import { Schedule as ScheduleSchema } from '../../protocol/schedule.js';
import type { Json, Store } from '../store/ports.js';
import { channels, keys } from '../store/keys.js';
import { serviceChannels, serviceKeys } from '../service-keys.js';
import type { ServiceLimits } from '../limits.js';
import type { Hub } from '../relay/hub.js';
import { isAgentAvailable, type AgentAvailabilityInput } from '../schedule/index.js';
import type { BeatBatch } from '../ws/heartbeat.js';

interface StatusRecord {
  status: AgentStatus;
  forced: boolean;
  at: string;
}

export class AgentPresenceService {
  /** Told after every announced change of a project's agents (automatic assignment listens). */
  onChange: ((installationId: string, projectKey: string) => void) | null = null;

  constructor(
    private readonly store: Store,
    private readonly hub: Hub,
    private readonly limits: Readonly<ServiceLimits>,
    private readonly now: () => number,
  ) {}

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** An agent socket opened or is still alive (heartbeat). */
  async touch(installationId: string, accountId: string, projects: readonly string[], socketId: string, announce: boolean): Promise<void> {
    const e = this.store.ephemeral;
    await e.touchMember(keys.agentSockets(installationId, accountId), socketId, { lastSeen: this.iso() }, this.limits.presenceTtlMs);
    for (const p of projects) await e.touchMember(keys.projectAgents(installationId, p), accountId, { lastSeen: this.iso() }, this.limits.presenceTtlMs);
    if (announce) await Promise.all(projects.map((p) => this.announce(installationId, p)));
  }

  /** Heartbeat: the same refreshes as touch() without an announcement, added to the instance's batch. */
  beat(batch: BeatBatch, installationId: string, accountId: string, projects: readonly string[], socketId: string): void {
    const ttl = this.limits.presenceTtlMs;
    const seen = { lastSeen: this.iso() };
    batch.touchMember(keys.agentSockets(installationId, accountId), socketId, seen, ttl);
    for (const p of projects) batch.touchMember(keys.projectAgents(installationId, p), accountId, seen, ttl);
  }

  async disconnect(installationId: string, accountId: string, projects: readonly string[], socketId: string): Promise<void> {
    const e = this.store.ephemeral;
    await e.removeMember(keys.agentSockets(installationId, accountId), socketId);
    if ((await e.members(keys.agentSockets(installationId, accountId))).length > 0) return;
    for (const p of projects) await e.removeMember(keys.projectAgents(installationId, p), accountId);
    await Promise.all(projects.map((p) => this.announce(installationId, p)));
  }

  async setStatus(installationId: string, projectKey: string, accountId: string, status: AgentStatus, forced: boolean): Promise<AgentPresence> {
    const e = this.store.ephemeral;
    const rec: StatusRecord = { status, forced: forced && status === 'offline', at: this.iso() };
    await e.set(serviceKeys.agentStatus(installationId, projectKey, accountId), { ...rec }, this.limits.agentStatusTtlMs);
    if (rec.forced) await this.store.kv.set(keys.agentForcedOffline(installationId, projectKey, accountId), true);
    else await this.store.kv.delete(keys.agentForcedOffline(installationId, projectKey, accountId));
    // Setting a status counts as being here; the agent's socket keeps it alive from then on.
    if (status !== 'offline')
      await e.touchMember(keys.projectAgents(installationId, projectKey), accountId, { lastSeen: this.iso() }, this.limits.presenceTtlMs);
    await this.announce(installationId, projectKey);
    return (await this.list(installationId, projectKey, [accountId])).find((a) => a.accountId === accountId)!;
  }

  async schedule(installationId: string, projectKey: string, accountId: string): Promise<Schedule | null> {
    const parsed = ScheduleSchema.safeParse(await this.store.kv.get(keys.agentSchedule(installationId, projectKey, accountId)));
    return parsed.success ? parsed.data : null;
  }

  async putSchedule(installationId: string, projectKey: string, accountId: string, schedule: Schedule | null): Promise<void> {
    const k = keys.agentSchedule(installationId, projectKey, accountId);
    if (schedule) await this.store.kv.set(k, schedule as unknown as Json);
    else await this.store.kv.delete(k);
    await this.announce(installationId, projectKey);
  }

  /** Connected agents of a project (plus `also`, e.g. one just forced offline). */
  async list(installationId: string, projectKey: string, also: readonly string[] = []): Promise<AgentPresence[]> {
    return (await this.detailed(installationId, projectKey, also)).map(({ schedule: _s, ...a }) => a);
  }

  /** What schedule/availability() needs about each connected agent. */
  async availabilityInputs(installationId: string, projectKey: string): Promise<AgentAvailabilityInput[]> {
    return (await this.detailed(installationId, projectKey)).map((a) => ({ status: a.status, schedule: a.schedule, forcedOffline: a.forcedOffline }));
  }

  private async detailed(installationId: string, projectKey: string, also: readonly string[] = []): Promise<(AgentPresence & { schedule: Schedule | null })[]> {
    const members = await this.store.ephemeral.members(keys.projectAgents(installationId, projectKey));
    const connected = new Map(members.map((m) => [m.member, (m.data as { lastSeen?: string } | null)?.lastSeen ?? null]));
    const ids = [...new Set([...connected.keys(), ...also])];
    const now = new Date(this.now());
    return Promise.all(
      ids.map(async (accountId) => {
        const rec = await this.store.ephemeral.get<{ status: AgentStatus; forced: boolean; at: string }>(
          serviceKeys.agentStatus(installationId, projectKey, accountId),
        );
        const forcedOffline = (await this.store.kv.get<boolean>(keys.agentForcedOffline(installationId, projectKey, accountId))) === true;
        const status: AgentStatus = forcedOffline || !connected.has(accountId) ? 'offline' : (rec?.status ?? 'online');
        const schedule = await this.schedule(installationId, projectKey, accountId);
        return {
          accountId,
          status,
          available: isAgentAvailable({ status, schedule, forcedOffline }, now),
          lastSeen: connected.get(accountId) ?? rec?.at ?? null,
          forcedOffline,
          schedule,
        };
      }),
    );
  }

  /** Tell the project's agents (new list) and customers (re-evaluate availability). */
  async announce(installationId: string, projectKey: string): Promise<void> {
    const agents = await this.list(installationId, projectKey);
    await this.hub.publish(channels.projectAgents(installationId, projectKey), {
      to: 'agent',
      frame: { type: 'agents.presence', projectKey, agents } as unknown as Json,
    });
    await this.hub.publish(serviceChannels.projectCustomers(installationId, projectKey), { to: 'customer', frame: { type: '$availability' } });
    this.onChange?.(installationId, projectKey);
  }
}
