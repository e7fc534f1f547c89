/**
 * Automatic assignment (issue 15): a new chat goes to an available agent of the project
 * (online and inside their hours) who has room under their capacity; nobody free, it waits
 * in the project's queue and goes to the next agent who frees up or comes online.
 *
 * Several instances share the work through the store's atomic operations, never a local lock:
 * - one instance at a time works on a chat (an ephemeral counter: the caller who reads 1 holds it);
 * - an agent's capacity is a row of slot keys, each taken with setIfAbsent, so two chats
 *   arriving at once on two instances can never both take the agent's last slot.
 * The assignment itself happens in Jira: the app makes the agent the request's assignee.
 * What is stored is content-free: issue keys, accountIds and times.
 */
import type { AssignmentConfig } from '../../protocol/model.js';
import type { AppClient } from '../app-client.js';
import type { Logger } from '../log.js';
import type { AgentPresenceService } from '../presence/agents.js';
import type { Projects } from '../projects.js';
import { serviceKeys } from '../service-keys.js';
import { unescapePart } from '../store/keys.js';
import type { Store } from '../store/ports.js';
import { assignmentOrder, type Candidate } from './order.js';

/** Longer than one app call (the assign webtrigger): a crashed holder's lock lapses by itself. */
export const ASSIGN_LOCK_TTL_MS = 30_000;
/** The round-robin turn counter lives long enough to keep turning during a working day. */
export const ASSIGN_TURN_TTL_MS = 24 * 60 * 60_000;

interface AssignedRecord {
  projectKey: string;
  accountId: string;
  slot: number;
  [k: string]: string | number;
}

type Outcome = 'assigned' | 'full' | 'busy' | 'gone';

export interface AssignerDeps {
  store: Store;
  projects: Pick<Projects, 'get'>;
  agents: Pick<AgentPresenceService, 'list'>;
  app: Pick<AppClient, 'call'>;
  log: Logger;
  clock: () => number;
}

export class Assigner {
  constructor(private readonly d: AssignerDeps) {}

  /** A live chat started: queue it, then let the queue move (it may be assigned at once). */
  async chatStarted(installationId: string, projectKey: string, conversationId: string): Promise<void> {
    const cfg = await this.config(installationId, projectKey);
    if (!cfg) return;
    await this.d.store.kv.setIfAbsent(serviceKeys.assignQueued(installationId, projectKey, conversationId), { at: new Date(this.d.clock()).toISOString() });
    await this.drain(installationId, projectKey);
  }

  /** A chat closed: it leaves the queue, its agent's slot frees up, and the next waiting chat may go to them. */
  async chatClosed(installationId: string, projectKey: string, conversationId: string): Promise<void> {
    await this.d.store.kv.delete(serviceKeys.assignQueued(installationId, projectKey, conversationId));
    await this.release(installationId, conversationId);
    await this.drain(installationId, projectKey);
  }

  /**
   * An agent took the chat by hand: it leaves the queue, and a slot held for another agent
   * frees up (capacity counts the chats assignment gave out, which this one no longer is).
   */
  async chatTaken(installationId: string, projectKey: string, conversationId: string, accountId: string): Promise<void> {
    await this.d.store.kv.delete(serviceKeys.assignQueued(installationId, projectKey, conversationId));
    const rec = await this.d.store.kv.get<AssignedRecord>(serviceKeys.assignedTo(installationId, conversationId));
    if (!rec || rec.accountId === accountId) return;
    await this.release(installationId, conversationId);
    await this.drain(installationId, projectKey);
  }

  /** Agents came online, went away or changed hours: waiting chats may find someone now. */
  async agentsChanged(installationId: string, projectKey: string): Promise<void> {
    if (await this.config(installationId, projectKey)) await this.drain(installationId, projectKey);
  }

  /** Open auto-assigned chats of an agent (slot keys present). */
  async load(installationId: string, projectKey: string, accountId: string): Promise<number> {
    return (await this.d.store.kv.keys(serviceKeys.assignSlots(installationId, projectKey, accountId))).length;
  }

  /** Waiting chats, oldest first. */
  async queue(installationId: string, projectKey: string): Promise<string[]> {
    const { kv } = this.d.store;
    const prefix = serviceKeys.assignQueue(installationId, projectKey);
    const entries = await Promise.all((await kv.keys(prefix)).map(async (key) => ({ key, at: ((await kv.get<{ at: string }>(key)) ?? { at: '' }).at })));
    return entries
      .filter((e) => e.at)
      .sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key))
      .map((e) => e.key);
  }

  private async config(installationId: string, projectKey: string): Promise<AssignmentConfig | null> {
    const cfg = (await this.d.projects.get(installationId, projectKey))?.assignment;
    return cfg && cfg.mode !== 'off' ? cfg : null;
  }

  /** Oldest waiting chat first; stops at the first one nobody has room for (the rest would not fit either). */
  private async drain(installationId: string, projectKey: string): Promise<void> {
    const cfg = await this.config(installationId, projectKey);
    if (!cfg) return;
    const { kv } = this.d.store;
    for (const key of await this.queue(installationId, projectKey)) {
      const conversationId = conversationOf(key, serviceKeys.assignQueue(installationId, projectKey));
      const outcome = await this.tryAssign(installationId, projectKey, cfg, conversationId);
      if (outcome === 'assigned' || outcome === 'gone') await kv.delete(key);
      if (outcome === 'full') return;
    }
  }

  private async tryAssign(installationId: string, projectKey: string, cfg: AssignmentConfig, conversationId: string): Promise<Outcome> {
    const { kv, ephemeral } = this.d.store;
    if (await kv.get(serviceKeys.assignedTo(installationId, conversationId))) return 'gone';
    const lock = serviceKeys.assignLock(installationId, conversationId);
    if ((await ephemeral.incr(lock, ASSIGN_LOCK_TTL_MS)) !== 1) return 'busy';
    try {
      const available = (await this.d.agents.list(installationId, projectKey)).filter((a) => a.available);
      const candidates: Candidate[] = await Promise.all(
        available.map(async (a) => ({
          accountId: a.accountId,
          capacity: cfg.capacities[a.accountId] ?? cfg.capacity,
          load: await this.load(installationId, projectKey, a.accountId),
        })),
      );
      const turn = await ephemeral.incr(serviceKeys.assignTurn(installationId, projectKey), ASSIGN_TURN_TTL_MS);
      for (const agent of assignmentOrder(cfg.mode, candidates, turn - 1)) {
        const slot = await this.claimSlot(installationId, projectKey, agent, conversationId);
        if (slot < 0) continue; // another instance filled the agent's last slot a moment ago
        const record: AssignedRecord = { projectKey, accountId: agent.accountId, slot };
        await kv.set(serviceKeys.assignedTo(installationId, conversationId), record);
        let assigned: boolean;
        try {
          assigned = (await this.d.app.call(installationId, { type: 'assign', conversationId, accountId: agent.accountId })).assigned;
        } catch (err) {
          // Jira or the app is unreachable: free the slot and keep the chat waiting; the next event retries.
          await this.release(installationId, conversationId);
          this.d.log.warn('assignment.app_failed', { installationId, err });
          return 'busy';
        }
        if (!assigned) {
          // Closed, or an agent took it by hand in the meantime: nothing to hold a slot for.
          await this.release(installationId, conversationId);
          return 'gone';
        }
        return 'assigned';
      }
      return 'full';
    } finally {
      await ephemeral.delete(lock);
    }
  }

  /** The first free slot below the agent's capacity, taken atomically; -1 when all are taken. */
  private async claimSlot(installationId: string, projectKey: string, agent: Candidate, conversationId: string): Promise<number> {
    for (let slot = 0; slot < agent.capacity; slot++) {
      if (await this.d.store.kv.setIfAbsent(serviceKeys.assignSlot(installationId, projectKey, agent.accountId, slot), conversationId)) return slot;
    }
    return -1;
  }

  private async release(installationId: string, conversationId: string): Promise<void> {
    const { kv } = this.d.store;
    const rec = await kv.get<AssignedRecord>(serviceKeys.assignedTo(installationId, conversationId));
    if (!rec) return;
    const slotKey = serviceKeys.assignSlot(installationId, rec.projectKey, rec.accountId, rec.slot);
    if ((await kv.get(slotKey)) === conversationId) await kv.delete(slotKey);
    await kv.delete(serviceKeys.assignedTo(installationId, conversationId));
  }
}

function conversationOf(key: string, prefix: string): string {
  return unescapePart(key.slice(prefix.length));
}
