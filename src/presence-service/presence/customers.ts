/**
 * Customers' presence per conversation: open sockets as a member set with a short TTL
 * (touched on heartbeat) and a "last seen" time. Agents watching a conversation hear
 * `customer.presence` when the customer comes or goes.
 */
import type { CustomerPresence } from '../../protocol/model.js';
import type { Store } from '../store/ports.js';
import { channels } from '../store/keys.js';
import { serviceKeys } from '../service-keys.js';
import type { ServiceLimits } from '../limits.js';
import type { Hub } from '../relay/hub.js';
import type { BeatBatch } from '../ws/heartbeat.js';

export class CustomerPresenceService {
  constructor(
    private readonly store: Store,
    private readonly hub: Hub,
    private readonly limits: Readonly<ServiceLimits>,
    private readonly now: () => number,
  ) {}

  /** Socket opened a conversation, or is still alive; announce=true on the first touch. */
  async touch(installationId: string, conversationIds: Iterable<string>, socketId: string, announce: boolean): Promise<void> {
    const iso = new Date(this.now()).toISOString();
    for (const c of conversationIds) {
      await this.store.ephemeral.touchMember(serviceKeys.conversationCustomers(installationId, c), socketId, { lastSeen: iso }, this.limits.presenceTtlMs);
      await this.store.ephemeral.set(serviceKeys.conversationLastSeen(installationId, c), iso, this.limits.lastSeenTtlMs);
      if (announce) await this.publish(installationId, c, { online: true, lastSeen: iso });
    }
  }

  /** Heartbeat: keep the socket listed on its conversations (added to the instance's batch). */
  beat(batch: BeatBatch, installationId: string, conversationIds: Iterable<string>, socketId: string): void {
    const iso = new Date(this.now()).toISOString();
    for (const c of conversationIds) {
      batch.touchMember(serviceKeys.conversationCustomers(installationId, c), socketId, { lastSeen: iso }, this.limits.presenceTtlMs);
      batch.set(serviceKeys.conversationLastSeen(installationId, c), iso, this.limits.lastSeenTtlMs);
    }
  }

  async leave(installationId: string, conversationIds: Iterable<string>, socketId: string): Promise<void> {
    const iso = new Date(this.now()).toISOString();
    for (const c of conversationIds) {
      await this.store.ephemeral.removeMember(serviceKeys.conversationCustomers(installationId, c), socketId);
      await this.store.ephemeral.set(serviceKeys.conversationLastSeen(installationId, c), iso, this.limits.lastSeenTtlMs);
      const p = await this.get(installationId, c);
      if (!p.online) await this.publish(installationId, c, p);
    }
  }

  async get(installationId: string, conversationId: string): Promise<CustomerPresence> {
    const members = await this.store.ephemeral.members(serviceKeys.conversationCustomers(installationId, conversationId));
    const lastSeen = await this.store.ephemeral.get<string>(serviceKeys.conversationLastSeen(installationId, conversationId));
    return { online: members.length > 0, lastSeen };
  }

  async socketCount(installationId: string, conversationId: string): Promise<number> {
    return (await this.store.ephemeral.members(serviceKeys.conversationCustomers(installationId, conversationId))).length;
  }

  private publish(installationId: string, conversationId: string, presence: CustomerPresence): Promise<void> {
    return this.hub.publish(channels.conversation(installationId, conversationId), {
      to: 'agent',
      frame: { type: 'customer.presence', conversationId, presence },
    });
  }
}
