import type { CustomerServerFrame, Prechat } from '../../../src/protocol/customer-ws.js';
import type { Availability, ConversationSummary, WidgetConfig } from '../../../src/protocol/model.js';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../../../src/protocol/limits.js';
import { Connection } from './connection.js';
import { Emitter } from './emitter.js';
import { newClientMsgId } from '../../ui-kit/ids.js';
import { fromChat, markSeen, mergeView, type ViewMessage } from './messages.js';
import { Outbox, type OutboxItem } from './outbox.js';
import type { Store } from './storage.js';
import { joinTabs, type TabMsg, type Tabs } from './tabs.js';
import { uploadFile, UploadError } from './upload.js';

/** No ack within this time while connected: the message is shown as failed, with Retry. */
export const ACK_TIMEOUT_MS = 20_000;
/** A lost "typing off" frame must not leave the indicator on forever. */
export const TYPING_TTL_MS = 8_000;
/** We tell the agent we stopped typing after this pause. */
export const TYPING_IDLE_MS = 3_000;

export type OfflineForm = 'form' | 'sent';

/**
 * localStorage key of the name and email the visitor typed into the form: the widget shows
 * and resends them from here, because the presence service keeps no names or emails.
 */
const PROFILE_KEY = 'profile';


/** A download link with less life than this left is renewed before it is opened. */
export const LINK_RENEW_MARGIN_MS = 10_000;
/** Visitor actions a follower tab hands to the leader tab (tabs.ts); nothing else may be called that way. */
const RELAYED = ['view', 'rate', 'sendText', 'retry', 'sendFile', 'typing', 'loadEarlier', 'requestUrl', 'startNew', 'loginWithToken', 'logout', 'markRead'];

export interface WidgetState {
  /** loading until the first auth.ok; blocked = origin not allowed or verification refused. */
  phase: 'loading' | 'ready' | 'blocked';
  connected: boolean;
  config: WidgetConfig | null;
  availability: Availability | null;
  customer: { name: string | null; email: string | null; verified: boolean } | null;
  conversationId: string | null;
  ended: boolean;
  messages: ViewMessage[];
  typing: string | null;
  unread: number;
  open: boolean;
  offline: OfflineForm;
  urls: Record<string, string>;
  /** Files whose service copy is gone (7 days); Jira keeps them on the request. */
  expired: Record<string, true>;
  /** Jira holds older messages than the ones shown. */
  hasMore: boolean;
  /** The chat that just closed, which the visitor may rate (JSM request feedback), and how far that got. */
  closedId: string | null;
  rated: 0 | 1 | 2;
}

export interface ControllerOptions {
  origin: string;
  widgetId: string;
  locale: string;
  jwt?: string;
  store: Store;
}

/**
 * The widget's brain, free of rendering: owns the socket, the outbox and the state the
 * UI draws. Every server frame and visitor action ends in `set()`, which notifies the UI.
 */
export class Controller {
  readonly events = new Emitter();
  state: WidgetState;
  private readonly listeners = new Set<() => void>();
  private readonly conn: Connection;
  private outbox: Outbox;
  private authed = false;
  private inflight: string | null = null;
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private myTypingTimer: ReturnType<typeof setTimeout> | undefined;
  private typingSent = false;
  private readyEmitted = false;
  private warned = false;
  private jwt: string | undefined;
  private prechat: Prechat = {};
  private readonly files = new Map<string, File>();
  private readonly urlRequested = new Set<string>();
  /** When each handed-out link stops working (epoch ms, from the service's expiresAt). */
  private readonly urlExpiry = new Map<string, number>();
  /** Tabs opened on a click while a fresh link was on its way (a tab opened later would be a blocked popup). */
  private readonly opening = new Map<string, Window | null>();
  private olderPending = false;
  private paged = false;
  private tabs: Tabs | null = null;
  /** This tab owns the socket and the outbox: alone, or elected among the site's tabs. */
  private leader = true;
  /** Actions handed to the leader and not yet done: resent to a new leader, run here if this tab leads next. */
  private readonly calls = new Map<string, [string, unknown[]]>();
  private readonly ran = new Set<string>();

  constructor(private readonly opts: ControllerOptions) {
    this.jwt = opts.jwt;
    this.outbox = new Outbox(opts.store);
    this.state = {
      phase: 'loading',
      connected: false,
      config: null,
      availability: null,
      customer: null,
      conversationId: null,
      ended: false,
      messages: this.pendingFromOutbox(),
      typing: null,
      unread: 0,
      open: false,
      offline: 'form',
      urls: {},
      expired: {},
      hasMore: false,
      closedId: null,
      rated: 0,
    };
    const ws = opts.origin.replace(/^http/, 'ws') + '/ws/customer';
    this.conn = new Connection(ws, {
      open: () => this.sendAuth(),
      frame: (f) => this.onFrame(f),
      closed: () => this.onClosed(),
    });
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start(): void {
    this.tabs = joinTabs(this.opts.widgetId, (m) => this.onTab(m), () => this.lead());
    if (this.tabs) {
      this.leader = false;
      this.tabs.post({ t: 'hi' });
    } else this.conn.start();
    addEventListener('online', () => this.conn.wake());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && this.state.open && this.state.unread) {
        this.set({ unread: 0 });
        this.markRead();
        this.events.emit('unread', 0);
      }
    });
  }

  // ---- visitor actions ---------------------------------------------------------------

  setOpen(open: boolean): void {
    if (open === this.state.open || this.state.phase !== 'ready') return;
    this.set({ open, unread: open ? 0 : this.state.unread });
    // Remembered across pages and reloads: a visitor who left it open finds it open (issue 11).
    this.opts.store.set('open', open);
    if (open) {
      this.markRead();
      this.view('opened');
    }
    this.events.emit(open ? 'open' : 'close');
    if (open) this.events.emit('unread', 0);
  }

  /**
   * Tells the service the widget loaded or the chat opened: no analytics code runs here, the
   * service counts these per project only while the site's analytics is on (docs/analytics.md).
   */
  view(what: 'loaded' | 'opened'): void {
    if (this.relay('view', [what])) return;
    if (this.authed) this.conn.send({ type: 'view', what });
  }

  /** Send a chat message; the first one of a conversation starts it (with the pre-chat answers). */
  sendText(text: string, prechat?: Prechat, offline = false): void {
    if (this.relay('sendText', [text, prechat, offline])) return;
    text = text.trim();
    if (!text) return;
    if (prechat) {
      this.remember(prechat);
      this.prechat = prechat;
    }
    // Name and email the form did not ask again (already known here) come from the browser's memory.
    this.prechat = { ...this.profile(), ...this.prechat };
    const clientMsgId = newClientMsgId();
    const at = new Date().toISOString();
    const item: OutboxItem =
      this.state.conversationId && !offline
        ? { kind: 'text', clientMsgId, text, at }
        : this.hasPendingStart()
          ? { kind: 'text', clientMsgId, text, at }
          : { kind: 'start', clientMsgId, text, prechat: this.prechat, offline, at };
    this.outbox.push(item);
    this.set({ messages: mergeView(this.state.messages, [this.pendingView(item)]), ended: false, ...(offline ? { offline: 'sent' as const } : {}) });
    this.stopTyping();
    this.pump();
    this.conn.wake();
  }

  retry(clientMsgId: string): void {
    if (this.relay('retry', [clientMsgId])) return;
    const m = this.state.messages.find((x) => x.clientMsgId === clientMsgId);
    if (!m || m.delivery !== 'failed') return;
    const file = this.files.get(clientMsgId);
    if (file && !m.attachment?.id) {
      this.updateMessage(clientMsgId, { delivery: 'sending', progress: 0, error: undefined });
      void this.upload(file, clientMsgId);
      return;
    }
    const item: OutboxItem = m.attachment?.id
      ? { kind: 'file', clientMsgId, attachment: m.attachment, at: m.at }
      : this.state.conversationId
        ? { kind: 'text', clientMsgId, text: m.text, at: m.at }
        : { kind: 'start', clientMsgId, text: m.text, prechat: this.prechat, offline: false, at: m.at };
    this.outbox.push(item);
    this.updateMessage(clientMsgId, { delivery: 'sending' });
    this.pump();
  }

  sendFile(file: File): void {
    if (this.relay('sendFile', [file])) return;
    const conversationId = this.state.conversationId;
    if (!conversationId || !this.state.config?.attachments) return;
    const clientMsgId = newClientMsgId();
    const mime = file.type || 'application/octet-stream';
    const view: ViewMessage = {
      key: clientMsgId,
      clientMsgId,
      kind: 'customer',
      name: '',
      text: '',
      at: new Date().toISOString(),
      attachment: { id: '', name: file.name || 'file', size: file.size, mime },
      delivery: 'sending',
      progress: 0,
    };
    this.files.set(clientMsgId, file);
    this.set({ messages: mergeView(this.state.messages, [view]) });
    if (file.size > DEFAULT_MAX_UPLOAD_BYTES) {
      this.updateMessage(clientMsgId, { delivery: 'failed', retryable: false, progress: undefined, error: 'too_large' });
      return;
    }
    void this.upload(file, clientMsgId);
  }

  /** Local typing: one "on" frame, then "off" after a pause or on send. */
  typing(): void {
    if (this.relay('typing', [])) return;
    const conversationId = this.state.conversationId;
    if (!conversationId || !this.authed) return;
    if (!this.typingSent) this.typingSent = this.conn.send({ type: 'typing', conversationId, on: true });
    clearTimeout(this.myTypingTimer);
    this.myTypingTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  /** The page of messages before the oldest one shown. */
  loadEarlier(): void {
    if (this.relay('loadEarlier', [])) return;
    const conversationId = this.state.conversationId;
    const oldest = this.state.messages.find((m) => m.id);
    if (!conversationId || !oldest?.id || this.olderPending) return;
    if (this.conn.send({ type: 'history', conversationId, before: oldest.id })) this.olderPending = this.paged = true;
  }

  /** Asks for a link once per file; `renew` asks again (the last one ran out or soon will). */
  requestUrl(attachmentId: string, renew = false): void {
    if (this.relay('requestUrl', [attachmentId, renew])) return;
    const conversationId = this.state.conversationId;
    if (!conversationId || !this.authed || this.state.expired[attachmentId]) return;
    if (this.urlRequested.has(attachmentId) && !renew) return;
    this.urlRequested.add(attachmentId);
    this.conn.send({ type: 'attachment.url', conversationId, attachmentId });
  }

  /**
   * The visitor chose "Start a new chat" on a closed chat: the composer comes back. Their
   * next message starts a chat; the app continues the closed one instead when it closed
   * within the project's reopen window (same request, so its messages stay on screen).
   */
  /** Rate the chat that just closed, 1–5 with an optional comment: it becomes the request's feedback in JSM. */
  rate(rating: number, comment: string): void {
    if (this.relay('rate', [rating, comment])) return;
    const conversationId = this.state.closedId;
    comment = comment.trim();
    if (conversationId && this.conn.send({ type: 'rating', conversationId, rating, ...(comment ? { comment } : {}) })) this.set({ rated: 1 });
  }

  startNew(): void {
    if (this.relay('startNew', [])) return;
    this.set({ ended: false, typing: null });
  }

  /** The link we hold still has LINK_RENEW_MARGIN_MS to live: enough for the tab to start loading. */
  hasFreshUrl(attachmentId: string): boolean {
    const until = this.urlExpiry.get(attachmentId);
    return !!this.state.urls[attachmentId] && until !== undefined && until - Date.now() > LINK_RENEW_MARGIN_MS;
  }

  /**
   * A click on a file. With a fresh link the anchor opens it (returns true); otherwise the
   * tab is opened now, inside the click (so no popup blocker stops it), and pointed at the
   * fresh link the service sends back. Download links live minutes; the chat may be open
   * for hours, so a file link must never "die" while it is shown.
   */
  openFile(attachmentId: string): boolean {
    if (this.hasFreshUrl(attachmentId)) return true;
    if (this.state.expired[attachmentId]) return false;
    this.opening.set(attachmentId, window.open('about:blank', '_blank'));
    this.requestUrl(attachmentId, true);
    return false;
  }

  loginWithToken(jwt: string): void {
    if (this.relay('loginWithToken', [jwt])) return;
    this.jwt = jwt;
    this.reconnect();
  }

  logout(): void {
    if (this.relay('logout', [])) return;
    this.jwt = undefined;
    this.opts.store.remove('token');
    this.opts.store.remove(PROFILE_KEY);
    this.outbox.clear();
    this.files.clear();
    this.urlRequested.clear();
    this.prechat = {};
    this.paged = this.olderPending = false;
    this.set({ conversationId: null, messages: [], unread: 0, typing: null, offline: 'form', urls: {}, expired: {}, customer: null, ended: false, hasMore: false });
    this.reconnect();
  }

  // ---- the visitor's own name and email (this browser only) ---------------------------

  private profile(): { name?: string; email?: string } {
    const p = this.opts.store.get<{ name?: unknown; email?: unknown }>(PROFILE_KEY);
    return { ...(typeof p?.name === 'string' ? { name: p.name } : {}), ...(typeof p?.email === 'string' ? { email: p.email } : {}) };
  }

  private remember(prechat: Prechat): void {
    if (!prechat.name && !prechat.email) return;
    this.opts.store.set(PROFILE_KEY, { ...this.profile(), ...(prechat.name ? { name: prechat.name } : {}), ...(prechat.email ? { email: prechat.email } : {}) });
  }

  // ---- socket ------------------------------------------------------------------------

  private reconnect(): void {
    this.onClosed();
    this.conn.restart();
  }

  private sendAuth(): void {
    const token = this.opts.store.get<string>('token');
    let timeZone: string | undefined;
    try {
      timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch {
      /* very old engines */
    }
    this.conn.send({
      type: 'auth',
      widgetId: this.opts.widgetId,
      ...(token ? { token } : {}),
      ...(this.jwt ? { jwt: this.jwt } : {}),
      ...(timeZone ? { timeZone } : {}),
      locale: this.opts.locale.slice(0, 35),
    });
  }

  private onClosed(): void {
    this.authed = false;
    this.inflight = null;
    clearTimeout(this.ackTimer);
    this.typingSent = false;
    if (this.state.connected || this.state.typing) this.set({ connected: false, typing: null });
  }

  private onFrame(f: CustomerServerFrame): void {
    switch (f.type) {
      case 'auth.ok':
        return this.onAuthOk(f);
      case 'error':
        return this.onError(f.code, f.ref);
      case 'message.ack': {
        this.settle(f.clientMsgId);
        const item = this.outbox.remove(f.clientMsgId);
        const patch: Partial<WidgetState> = {};
        if (!this.state.conversationId || item?.kind === 'start') patch.conversationId = f.conversationId;
        // An ack for a message this tab never showed (typed in another tab) has nothing to update here.
        const shown = this.state.messages.some((m) => m.clientMsgId === f.clientMsgId);
        this.set({
          ...patch,
          messages: !shown ? this.state.messages : mergeView(this.state.messages, [
            { ...this.findPending(f.clientMsgId), id: f.messageId, at: f.at, delivery: 'sent', clientMsgId: f.clientMsgId, key: f.clientMsgId },
          ]),
        });
        this.events.emit('message:sent', { clientMsgId: f.clientMsgId, messageId: f.messageId, conversationId: f.conversationId });
        return this.pump();
      }
      case 'message.failed': {
        this.settle(f.clientMsgId);
        this.outbox.remove(f.clientMsgId);
        this.updateMessage(f.clientMsgId, { delivery: 'failed', retryable: f.retryable });
        return this.pump();
      }
      case 'message': {
        const m = f.message;
        if (this.state.conversationId && m.conversationId !== this.state.conversationId) return;
        const known = this.state.messages.some((x) => x.id === m.id || (!!m.clientMsgId && x.clientMsgId === m.clientMsgId));
        if (m.clientMsgId && this.outbox.has(m.clientMsgId)) {
          // Our own message echoed back before its ack (e.g. sent from another tab): it is stored.
          this.outbox.remove(m.clientMsgId);
          this.settle(m.clientMsgId);
        }
        const patch: Partial<WidgetState> = { conversationId: m.conversationId, messages: mergeView(this.state.messages, [fromChat(m)]) };
        if (m.author.kind === 'agent') patch.typing = null;
        if (!known && m.author.kind !== 'customer') {
          const away = !this.state.open || document.visibilityState === 'hidden';
          if (away) patch.unread = this.state.unread + 1;
          this.set(patch);
          const got = { id: m.id, text: m.text, author: m.author.name, at: m.at };
          this.tabs?.post({ t: 'got', p: got });
          this.received(got, away);
        } else this.set(patch);
        return this.pump();
      }
      case 'typing': {
        if (f.conversationId !== this.state.conversationId) return;
        clearTimeout(this.typingTimer);
        if (f.on) this.typingTimer = setTimeout(() => this.set({ typing: null }), TYPING_TTL_MS);
        return this.set({ typing: f.on ? f.name || '' : null });
      }
      case 'seen':
        if (f.conversationId === this.state.conversationId) this.set({ messages: markSeen(this.state.messages, f.messageId) });
        return;
      case 'availability':
        return this.set({ availability: f.availability });
      case 'history': {
        if (f.conversationId !== this.state.conversationId) return;
        // A newest-page replay after a reconnect must not bring back "load earlier" once we paged to the start.
        const olderPage = this.olderPending;
        this.olderPending = false;
        const hasMore = olderPage || !this.paged ? f.hasMore : this.state.hasMore;
        this.set({ hasMore, messages: mergeView(this.state.messages, f.messages.map(fromChat)) });
        if (this.state.open) this.markRead();
        return;
      }
      case 'conversation.updated': {
        const c = f.conversation;
        if (c.id === this.state.conversationId && c.status === 'closed') this.set({ conversationId: null, ended: true, typing: null, closedId: c.id, rated: 0 });
        else if (!this.state.conversationId && c.status === 'open' && !this.hasPendingStart()) {
          // Started in another tab of this visitor: follow it here.
          this.set({ conversationId: c.id, ended: false });
          this.conn.send({ type: 'history', conversationId: c.id });
        }
        return;
      }
      case 'config':
        this.set({ config: f.config });
        return;
      case 'rated':
        if (f.conversationId === this.state.closedId) this.set({ rated: 2 });
        return;
      case 'attachment.url': {
        // Only web links: a `javascript:` URL must never become an href, whoever sent it.
        if (!/^https?:\/\//i.test(f.url)) return this.openTab(f.attachmentId);
        const until = Date.parse(f.expiresAt);
        this.urlExpiry.set(f.attachmentId, Number.isFinite(until) ? until : 0);
        this.set({ urls: { ...this.state.urls, [f.attachmentId]: f.url } });
        return this.openTab(f.attachmentId, f.url);
      }
      case 'attachment.expired': {
        this.opening.get(f.attachmentId)?.close();
        this.opening.delete(f.attachmentId);
        const { [f.attachmentId]: _gone, ...urls } = this.state.urls;
        this.set({ urls, expired: { ...this.state.expired, [f.attachmentId]: true } });
        return;
      }
      default:
        return;
    }
  }

  private onAuthOk(f: Extract<CustomerServerFrame, { type: 'auth.ok' }>): void {
    this.authed = true;
    this.conn.healthy();
    if (f.token) this.opts.store.set('token', f.token);
    const latest = latestOpen(f.conversations);
    // A conversation we were in may have been closed while we were away: keep its messages on screen.
    const conversationId = latest?.id ?? null;
    const switched = conversationId !== this.state.conversationId && !!this.state.conversationId;
    this.set({
      phase: 'ready',
      connected: true,
      config: f.config,
      availability: f.availability,
      // The service stores no names or emails: it sends the site-signed (or Jira's) ones; what the visitor typed is remembered here.
      customer: { ...f.customer, name: f.customer.name ?? this.profile().name ?? null, email: f.customer.email ?? this.profile().email ?? null },
      conversationId,
      ended: switched && !conversationId ? true : this.state.ended,
      ...(switched && !conversationId ? { closedId: this.state.conversationId, rated: 0 as const } : {}),
      messages: switched && conversationId ? this.pendingFromOutbox() : this.state.messages,
    });
    if (conversationId) this.conn.send({ type: 'history', conversationId });
    this.ready();
    this.pump();
  }

  private onError(code: string, ref?: string): void {
    if (!this.authed) {
      // Refusals that a retry cannot fix (wrong site, unknown widget, identity required): stay quiet and hidden.
      if (code === 'origin_not_allowed' || code === 'verification_required' || code === 'forbidden' || code === 'not_found') {
        this.conn.stop();
        if (!this.warned) {
          this.warned = true;
          console.warn(`[JsmChat] the chat is not available on this page (${code}).`);
        }
        this.set({ phase: 'blocked', connected: false });
      } else if (code === 'unauthenticated' && (this.opts.store.get('token') || this.jwt)) {
        // Expired or revoked visitor token or identity JWT: start over as an anonymous visitor.
        if (this.jwt) console.warn('[JsmChat] the identity token was refused; continuing anonymously.');
        this.jwt = undefined;
        this.opts.store.remove('token');
        this.reconnect();
      }
      return;
    }
    // A rating JSM did not take: the form comes back, so the visitor may try again.
    if (!ref && this.state.rated === 1) this.set({ rated: 0 });
    if (ref && ref === this.inflight) {
      this.settle(ref);
      this.outbox.remove(ref);
      this.updateMessage(ref, { delivery: 'failed', retryable: code === 'unavailable' || code === 'rate_limited' });
      this.pump();
    }
  }

  // ---- outbox ------------------------------------------------------------------------

  /** One message in flight at a time: order is kept even if the service handles frames concurrently. */
  private pump(): void {
    if (!this.authed || this.inflight) return;
    const item = this.outbox.peek();
    if (!item) return;
    const conversationId = this.state.conversationId;
    let sent: boolean;
    if (item.kind === 'start' || !conversationId) {
      const text = item.kind === 'file' ? item.attachment.name : item.text;
      const start = item.kind === 'start' ? item : { prechat: this.prechat, offline: false };
      sent = this.conn.send({ type: 'conversation.start', clientMsgId: item.clientMsgId, text, prechat: start.prechat, offline: start.offline });
    } else if (item.kind === 'text') {
      sent = this.conn.send({ type: 'message.send', conversationId, clientMsgId: item.clientMsgId, text: item.text });
    } else {
      sent = this.conn.send({ type: 'attachment.send', conversationId, clientMsgId: item.clientMsgId, attachmentId: item.attachment.id });
    }
    if (!sent) return;
    this.inflight = item.clientMsgId;
    const id = item.clientMsgId;
    this.ackTimer = setTimeout(() => {
      if (this.inflight !== id) return;
      this.settle(id);
      this.outbox.remove(id);
      this.updateMessage(id, { delivery: 'failed', retryable: true });
      this.pump();
    }, ACK_TIMEOUT_MS);
  }

  private settle(clientMsgId: string): void {
    if (this.inflight === clientMsgId) {
      this.inflight = null;
      clearTimeout(this.ackTimer);
    }
  }

  private async upload(file: File, clientMsgId: string): Promise<void> {
    const token = this.opts.store.get<string>('token');
    const conversationId = this.state.conversationId;
    if (!token || !conversationId) return this.updateMessage(clientMsgId, { delivery: 'failed', retryable: true, progress: undefined, error: 'upload' });
    try {
      const attachment = await uploadFile(this.opts.origin, token, conversationId, file, (p) => this.updateMessage(clientMsgId, { progress: p }));
      this.files.delete(clientMsgId);
      this.updateMessage(clientMsgId, { attachment, progress: undefined });
      this.outbox.push({ kind: 'file', clientMsgId, attachment, at: new Date().toISOString() });
      this.pump();
    } catch (e) {
      const err = e instanceof UploadError ? e : new UploadError('network');
      // Only a network failure or a service hiccup is worth retrying; a refused file stays refused.
      const retryable = err.code === 'network' || err.status >= 500;
      this.updateMessage(clientMsgId, { delivery: 'failed', retryable, progress: undefined, error: err.code === 'too_large' || err.code === 'unsupported_type' ? err.code : 'upload' });
    }
  }

  // ---- tabs (tabs.ts) ----------------------------------------------------------------

  /** In a follower tab, hands the action to the leader (true); the leader runs it itself (false). */
  private relay(m: string, a: unknown[]): boolean {
    if (this.leader) return false;
    const id = newClientMsgId();
    this.calls.set(id, [m, a]);
    this.tabs!.post({ t: 'call', id, m, a });
    return true;
  }

  private run(id: string, m: string, a: unknown[]): void {
    this.calls.delete(id);
    if (!this.ran.has(id) && RELAYED.includes(m)) {
      this.ran.add(id);
      (this as unknown as Record<string, (...a: unknown[]) => void>)[m]!(...a);
    }
    this.tabs?.post({ t: 'done', id });
  }

  /** The previous leader's tab closed (or this is the first tab): take the socket and its outbox as it left it. */
  private lead(): void {
    this.leader = true;
    this.outbox = new Outbox(this.opts.store);
    this.set({ connected: false, messages: mergeView(this.state.messages, this.pendingFromOutbox()) });
    for (const [id, [m, a]] of this.calls) this.run(id, m, a);
    this.tabs!.post({ t: 'lead' });
    this.conn.start();
  }

  private onTab(msg: TabMsg): void {
    if (this.leader) {
      if (msg.t === 'call') this.run(msg.id, msg.m, msg.a);
      else if (msg.t === 'hi') this.set({});
    } else if (msg.t === 'done') this.calls.delete(msg.id);
    else if (msg.t === 'lead') for (const [id, [m, a]] of this.calls) this.tabs!.post({ t: 'call', id, m, a });
    else if (msg.t === 'got') this.received(msg.p, !this.state.open || document.visibilityState === 'hidden');
    else if (msg.t === 'state') {
      // Open and unread belong to each tab; everything else is the leader's.
      const s = msg.s as WidgetState;
      this.state = { ...s, open: this.state.open, unread: this.state.unread };
      for (const fn of this.listeners) fn();
      for (const id of this.opening.keys()) if (s.urls[id]) this.openTab(id, s.urls[id]);
      if (s.phase === 'ready') this.ready();
    }
  }

  private received(got: unknown, away: boolean): void {
    if (away && !this.leader) this.set({ unread: this.state.unread + 1 });
    this.events.emit('message:received', got);
    if (away) this.events.emit('unread', this.state.unread);
    else this.markRead();
  }

  private ready(): void {
    if (this.readyEmitted) return;
    this.readyEmitted = true;
    this.view('loaded');
    this.events.emit('ready');
    if (this.opts.store.get<boolean>('open') === true) this.setOpen(true);
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

  // ---- helpers -----------------------------------------------------------------------

  private markRead(): void {
    if (this.relay('markRead', [])) return;
    const conversationId = this.state.conversationId;
    const last = [...this.state.messages].reverse().find((m) => m.id && m.kind !== 'customer');
    if (conversationId && last?.id && this.authed) this.conn.send({ type: 'seen', conversationId, messageId: last.id });
  }

  private stopTyping(): void {
    clearTimeout(this.myTypingTimer);
    const conversationId = this.state.conversationId;
    if (this.typingSent && conversationId) this.conn.send({ type: 'typing', conversationId, on: false });
    this.typingSent = false;
  }

  private hasPendingStart(): boolean {
    return this.outbox.all().some((i) => i.kind === 'start');
  }

  private pendingView(item: OutboxItem): ViewMessage {
    const v: ViewMessage = { key: item.clientMsgId, clientMsgId: item.clientMsgId, kind: 'customer', name: '', text: '', at: item.at, delivery: 'sending' };
    if (item.kind === 'file') v.attachment = item.attachment;
    else v.text = item.text;
    return v;
  }

  private pendingFromOutbox(): ViewMessage[] {
    return this.outbox.all().map((i) => this.pendingView(i));
  }

  private findPending(clientMsgId: string): ViewMessage {
    return this.state.messages.find((m) => m.clientMsgId === clientMsgId) ?? { key: clientMsgId, kind: 'customer', name: '', text: '', at: '' };
  }

  private updateMessage(clientMsgId: string, patch: Partial<ViewMessage>): void {
    this.set({ messages: this.state.messages.map((m) => (m.clientMsgId === clientMsgId ? { ...m, ...patch } : m)) });
  }

  private set(patch: Partial<WidgetState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
    if (this.leader) this.tabs?.post({ t: 'state', s: this.state });
  }
}

function latestOpen(list: readonly ConversationSummary[]): ConversationSummary | undefined {
  return list.filter((c) => c.status === 'open').sort((a, b) => Date.parse(b.updated) - Date.parse(a.updated))[0];
}
