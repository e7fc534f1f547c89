import type { CustomerServerFrame } from '../../../src/protocol/customer-ws.js';
import type { Core } from './state.js';

/** A download link with less life than this left is renewed before it is opened. */
export const LINK_RENEW_MARGIN_MS = 10_000;

type Frame<T extends CustomerServerFrame['type']> = Extract<CustomerServerFrame, { type: T }>;

/**
 * Download links of files in the chat. They live minutes; the chat may be open for hours,
 * so a link is asked for once, renewed when it ran out, and a click without a fresh one
 * opens its tab at once (inside the click, so no popup blocker stops it) and points it at
 * the link the service sends back.
 */
export class FileLinks {
  private readonly requested = new Set<string>();
  /** When each handed-out link stops working (epoch ms, from the service's expiresAt). */
  private readonly expiry = new Map<string, number>();
  /** Tabs opened on a click while a fresh link was on its way. */
  private readonly opening = new Map<string, Window | null>();

  constructor(private readonly core: Core) {}

  /** Asks for a link once per file; `renew` asks again. */
  request(attachmentId: string, renew: boolean): void {
    const { core } = this;
    const conversationId = core.state.conversationId;
    if (!conversationId || !core.authed || core.state.expired[attachmentId]) return;
    if (this.requested.has(attachmentId) && !renew) return;
    this.requested.add(attachmentId);
    core.conn.send({ type: 'attachment.url', conversationId, attachmentId });
  }

  /** The link we hold still has LINK_RENEW_MARGIN_MS to live: enough for the tab to start loading. */
  fresh(attachmentId: string): boolean {
    const until = this.expiry.get(attachmentId);
    return !!this.core.state.urls[attachmentId] && until !== undefined && until - Date.now() > LINK_RENEW_MARGIN_MS;
  }

  /** Opens the file's tab now (in the click); the link follows. */
  hold(attachmentId: string): void {
    this.opening.set(attachmentId, window.open('about:blank', '_blank'));
  }

  onUrl(f: Frame<'attachment.url'>): void {
    // Only web links: a `javascript:` URL must never become an href, whoever sent it.
    if (!/^https?:\/\//i.test(f.url)) return this.openTab(f.attachmentId);
    const until = Date.parse(f.expiresAt);
    this.expiry.set(f.attachmentId, Number.isFinite(until) ? until : 0);
    this.core.set({ urls: { ...this.core.state.urls, [f.attachmentId]: f.url } });
    this.openTab(f.attachmentId, f.url);
  }

  onExpired(f: Frame<'attachment.expired'>): void {
    this.opening.get(f.attachmentId)?.close();
    this.opening.delete(f.attachmentId);
    const { [f.attachmentId]: _gone, ...urls } = this.core.state.urls;
    this.core.set({ urls, expired: { ...this.core.state.expired, [f.attachmentId]: true } });
  }

  /** A follower tab got the leader's state: tabs it opened on a click get their links. */
  adopt(urls: Record<string, string>): void {
    for (const id of this.opening.keys()) if (urls[id]) this.openTab(id, urls[id]);
  }

  forget(): void {
    this.requested.clear();
  }

  /** Points the tab opened on a click at the fresh link (or closes it when there is none). */
  private openTab(attachmentId: string, url?: string): void {
    const tab = this.opening.get(attachmentId);
    this.opening.delete(attachmentId);
    if (tab && !tab.closed && url) {
      tab.opener = null; // the file's tab gets no handle on the customer's page
      tab.location.href = url;
    } else tab?.close();
  }
}
