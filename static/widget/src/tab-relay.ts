import { newClientMsgId } from '../../ui-kit/ids.js';
import type { TabMsg, Tabs } from './tabs.js';

/** Visitor actions a follower tab hands to the leader tab; nothing else may be called that way. */
const RELAYED = ['view', 'rate', 'sendText', 'retry', 'sendFile', 'typing', 'loadEarlier', 'requestUrl', 'startNew', 'loginWithToken', 'logout', 'markRead'];

/**
 * The visitor's actions across tabs (tabs.ts): a follower hands each to the leader and keeps
 * it until the leader says it ran it; a new leader runs what the old one left undone, and
 * each action runs once.
 */
export class TabRelay {
  /** This tab owns the socket and the outbox: alone, or elected among the site's tabs. */
  leader = true;
  tabs: Tabs | null = null;
  /** Actions handed to the leader and not yet done: resent to a new leader, run here if this tab leads next. */
  private readonly calls = new Map<string, [string, unknown[]]>();
  private readonly ran = new Set<string>();

  /** `target` holds the relayed methods (the controller). */
  constructor(private readonly target: object) {}

  post(msg: TabMsg): void {
    this.tabs?.post(msg);
  }

  /** In a follower tab, hands the action to the leader (true); the leader runs it itself (false). */
  relay(m: string, a: unknown[]): boolean {
    if (this.leader) return false;
    const id = newClientMsgId();
    this.calls.set(id, [m, a]);
    this.post({ t: 'call', id, m, a });
    return true;
  }

  run(id: string, m: string, a: unknown[]): void {
    this.calls.delete(id);
    if (!this.ran.has(id) && RELAYED.includes(m)) {
      this.ran.add(id);
      (this.target as Record<string, (...a: unknown[]) => void>)[m]!(...a);
    }
    this.post({ t: 'done', id });
  }

  /** This tab leads now: it runs what it had handed to the old leader. */
  lead(): void {
    this.leader = true;
    for (const [id, [m, a]] of this.calls) this.run(id, m, a);
  }

  /** A follower's side of the leader's messages: `done` and `lead` (resend what is not done). */
  follow(msg: TabMsg): void {
    if (msg.t === 'done') this.calls.delete(msg.id);
    else if (msg.t === 'lead') for (const [id, [m, a]] of this.calls) this.post({ t: 'call', id, m, a });
  }
}
