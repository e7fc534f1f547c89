import type { CustomerServerFrame, Prechat } from '../../../src/protocol/customer-ws.js';
import type { ConversationSummary } from '../../../src/protocol/model.js';
import { newClientMsgId } from '../../ui-kit/ids.js';
import { Connection } from './connection.js';
import { Emitter } from './emitter.js';
import { FileLinks } from './links.js';
import { fromChat, markSeen, mergeView, pendingView, type ViewMessage } from './messages.js';
import type { OutboxItem } from './outbox.js';
import { profile, PROFILE_KEY, remember } from './profile.js';
import { Sender } from './sending.js';
import type { Core, WidgetState } from './state.js';
import type { Store } from './storage.js';
import { TabRelay } from './tab-relay.js';
import { joinTabs, type TabMsg } from './tabs.js';
import { Typing } from './typing.js';
import { Uploads } from './uploads.js';

export interface ControllerOptions {
  origin: string;
  widgetId: string;
  locale: string;
  jwt?: string;
  store: Store;
}

/**
 * The widget's brain, free of rendering: the public actions, the socket's lifecycle (auth,
 * refusals, reconnects) and the frames that change the conversation. Its parts each keep
 * one concern: sending.ts (the outbox on the wire), uploads.ts, typing.ts, links.ts (file
 * links), tab-relay.ts (actions across tabs). Everything ends in `set()`, which notifies the UI.
 */
export class Controller implements Core {
  readonly events = new Emitter();
  state: WidgetState;
  readonly conn: Connection;
  authed = false;
  private readonly listeners = new Set<() => void>();
  private readonly sender: Sender;
  private readonly uploads: Uploads;
  private readonly typer = new Typing(this);
  private readonly links = new FileLinks(this);
  private readonly tabs = new TabRelay(this);
  private readyEmitted = false;
  private warned = false;
  private jwt: string | undefined;
  private olderPending = false;
  private paged = false;

  constructor(private readonly opts: ControllerOptions) {
    this.jwt = opts.jwt;
    this.sender = new Sender(this, opts.store);
    this.uploads = new Uploads(this, this.sender, opts.origin, opts.store);
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
    const tabs = (this.tabs.tabs = joinTabs(
      this.opts.widgetId,
      (m) => this.onTab(m),
      () => this.lead(),
    ));
    if (tabs) {
      this.tabs.leader = false;
      tabs.post({ t: 'hi' });
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
    if (this.tabs.relay('view', [what])) return;
    if (this.authed) this.conn.send({ type: 'view', what });
  }

  /** Send a chat message; the first one of a conversation starts it (with the pre-chat answers). */
  sendText(text: string, prechat?: Prechat, offline = false): void {
    if (this.tabs.relay('sendText', [text, prechat, offline])) return;
    text = text.trim();
    if (!text) return;
    const { sender } = this;
    if (prechat) {
      remember(this.opts.store, prechat);
      sender.prechat = prechat;
    }
    // Name and email the form did not ask again (already known here) come from the browser's memory.
    sender.prechat = { ...profile(this.opts.store), ...sender.prechat };
    const clientMsgId = newClientMsgId();
    const at = new Date().toISOString();
    const item: OutboxItem =
      this.state.conversationId && !offline
        ? { kind: 'text', clientMsgId, text, at }
        : sender.hasPendingStart()
          ? { kind: 'text', clientMsgId, text, at }
          : { kind: 'start', clientMsgId, text, prechat: sender.prechat, offline, at };
    sender.outbox.push(item);
    this.set({ messages: mergeView(this.state.messages, [pendingView(item)]), ended: false, ...(offline ? { offline: 'sent' as const } : {}) });
    this.typer.stop();
    sender.pump();
    this.conn.wake();
  }

  retry(clientMsgId: string): void {
    if (this.tabs.relay('retry', [clientMsgId])) return;
    const m = this.state.messages.find((x) => x.clientMsgId === clientMsgId);
    if (!m || m.delivery !== 'failed' || this.uploads.retry(m)) return;
    const item: OutboxItem = m.attachment?.id
      ? { kind: 'file', clientMsgId, attachment: m.attachment, at: m.at }
      : this.state.conversationId
        ? { kind: 'text', clientMsgId, text: m.text, at: m.at }
        : { kind: 'start', clientMsgId, text: m.text, prechat: this.sender.prechat, offline: false, at: m.at };
    this.sender.outbox.push(item);
    this.updateMessage(clientMsgId, { delivery: 'sending' });
    this.sender.pump();
  }

  sendFile(file: File): void {
    if (this.tabs.relay('sendFile', [file])) return;
    this.uploads.add(file);
  }

  /** Local typing: one "on" frame, then "off" after a pause or on send. */
  typing(): void {
    if (this.tabs.relay('typing', [])) return;
    this.typer.local();
  }

  /** The page of messages before the oldest one shown. */
  loadEarlier(): void {
    if (this.tabs.relay('loadEarlier', [])) return;
    const conversationId = this.state.conversationId;
    const oldest = this.state.messages.find((m) => m.id);
    if (!conversationId || !oldest?.id || this.olderPending) return;
    if (this.conn.send({ type: 'history', conversationId, before: oldest.id })) this.olderPending = this.paged = true;
  }

  /** Asks for a link once per file; `renew` asks again (the last one ran out or soon will). */
  requestUrl(attachmentId: string, renew = false): void {
    if (this.tabs.relay('requestUrl', [attachmentId, renew])) return;
    this.links.request(attachmentId, renew);
  }

  /** Rate the chat that just closed, 1–5 with an optional comment: it becomes the request's feedback in JSM. */
  rate(rating: number, comment: string): void {
    if (this.tabs.relay('rate', [rating, comment])) return;
    const conversationId = this.state.closedId;
    comment = comment.trim();
    if (conversationId && this.conn.send({ type: 'rating', conversationId, rating, ...(comment ? { comment } : {}) })) this.set({ rated: 1 });
  }

  /**
   * The visitor chose "Start a new chat" on a closed chat: the composer comes back. Their
   * next message starts a chat; the app continues the closed one instead when it closed
   * within the project's reopen window (same request, so its messages stay on screen).
   */
  startNew(): void {
    if (this.tabs.relay('startNew', [])) return;
    this.set({ ended: false, typing: null });
  }

  hasFreshUrl(attachmentId: string): boolean {
    return this.links.fresh(attachmentId);
  }

  /**
   * A click on a file. With a fresh link the anchor opens it (returns true); otherwise the
   * tab is opened now, inside the click, and pointed at the fresh link the service sends
   * back (links.ts).
   */
  openFile(attachmentId: string): boolean {
    if (this.hasFreshUrl(attachmentId)) return true;
    if (this.state.expired[attachmentId]) return false;
    this.links.hold(attachmentId);
    this.requestUrl(attachmentId, true);
    return false;
  }

  loginWithToken(jwt: string): void {
    if (this.tabs.relay('loginWithToken', [jwt])) return;
    this.jwt = jwt;
    this.reconnect();
  }

  logout(): void {
    if (this.tabs.relay('logout', [])) return;
    this.jwt = undefined;
    this.opts.store.remove('token');
    this.opts.store.remove(PROFILE_KEY);
    this.sender.outbox.clear();
    this.uploads.clear();
    this.links.forget();
    this.sender.prechat = {};
    this.paged = this.olderPending = false;
    this.set({
      conversationId: null,
      messages: [],
      unread: 0,
      typing: null,
      offline: 'form',
      urls: {},
      expired: {},
      customer: null,
      ended: false,
      hasMore: false,
    });
    this.reconnect();
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
    this.sender.reset();
    this.typer.reset();
    if (this.state.connected || this.state.typing) this.set({ connected: false, typing: null });
  }

  private onFrame(f: CustomerServerFrame): void {
    const { sender } = this;
    switch (f.type) {
      case 'auth.ok':
        return this.onAuthOk(f);
      case 'error':
        return this.onError(f.code, f.ref);
      case 'message.ack': {
        sender.settle(f.clientMsgId);
        const item = sender.outbox.remove(f.clientMsgId);
        const patch: Partial<WidgetState> = {};
        if (!this.state.conversationId || item?.kind === 'start') patch.conversationId = f.conversationId;
        // An ack for a message this tab never showed (typed in another tab) has nothing to update here.
        const shown = this.state.messages.some((m) => m.clientMsgId === f.clientMsgId);
        this.set({
          ...patch,
          messages: !shown
            ? this.state.messages
            : mergeView(this.state.messages, [
                { ...this.findPending(f.clientMsgId), id: f.messageId, at: f.at, delivery: 'sent', clientMsgId: f.clientMsgId, key: f.clientMsgId },
              ]),
        });
        this.events.emit('message:sent', { clientMsgId: f.clientMsgId, messageId: f.messageId, conversationId: f.conversationId });
        return sender.pump();
      }
      case 'message.failed':
        return sender.fail(f.clientMsgId, f.retryable);
      case 'message': {
        const m = f.message;
        if (this.state.conversationId && m.conversationId !== this.state.conversationId) return;
        const known = this.state.messages.some((x) => x.id === m.id || (!!m.clientMsgId && x.clientMsgId === m.clientMsgId));
        if (m.clientMsgId && sender.outbox.has(m.clientMsgId)) {
          // Our own message echoed back before its ack (e.g. sent from another tab): it is stored.
          sender.outbox.remove(m.clientMsgId);
          sender.settle(m.clientMsgId);
        }
        const patch: Partial<WidgetState> = { conversationId: m.conversationId, messages: mergeView(this.state.messages, [fromChat(m)]) };
        if (m.author.kind === 'agent') patch.typing = null;
        if (!known && m.author.kind !== 'customer') {
          const away = !this.state.open || document.visibilityState === 'hidden';
          if (away) patch.unread = this.state.unread + 1;
          this.set(patch);
          const got = { id: m.id, text: m.text, author: m.author.name, at: m.at };
          this.tabs.post({ t: 'got', p: got });
          this.received(got, away);
        } else this.set(patch);
        return sender.pump();
      }
      case 'typing':
        return this.typer.agent(f);
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
        if (c.id === this.state.conversationId && c.status === 'closed')
          this.set({ conversationId: null, ended: true, typing: null, closedId: c.id, rated: 0 });
        else if (!this.state.conversationId && c.status === 'open' && !sender.hasPendingStart()) {
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
      case 'attachment.url':
        return this.links.onUrl(f);
      case 'attachment.expired':
        return this.links.onExpired(f);
      default:
        return;
    }
  }

  private onAuthOk(f: Extract<CustomerServerFrame, { type: 'auth.ok' }>): void {
    this.authed = true;
    this.conn.healthy();
    if (f.token) this.opts.store.set('token', f.token);
    // A conversation we were in may have been closed while we were away: keep its messages on screen.
    // No list at all (Jira could not be read just now) is no news: the conversation shown stays.
    const conversationId = f.conversations ? (latestOpen(f.conversations)?.id ?? null) : this.state.conversationId;
    const switched = conversationId !== this.state.conversationId && !!this.state.conversationId;
    const known = profile(this.opts.store);
    this.set({
      phase: 'ready',
      connected: true,
      config: f.config,
      availability: f.availability,
      // The service stores no names or emails: it sends the site-signed (or Jira's) ones; what the visitor typed is remembered here.
      customer: { ...f.customer, name: f.customer.name ?? known.name ?? null, email: f.customer.email ?? known.email ?? null },
      conversationId,
      ended: switched && !conversationId ? true : this.state.ended,
      ...(switched && !conversationId ? { closedId: this.state.conversationId, rated: 0 as const } : {}),
      messages: switched && conversationId ? this.pendingFromOutbox() : this.state.messages,
    });
    if (conversationId) this.conn.send({ type: 'history', conversationId });
    this.ready();
    this.sender.pump();
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
    if (ref && this.sender.isInflight(ref)) this.sender.fail(ref, code === 'unavailable' || code === 'rate_limited');
  }

  // ---- tabs (tabs.ts, tab-relay.ts) --------------------------------------------------

  /** The previous leader's tab closed (or this is the first tab): take the socket and its outbox as it left it. */
  private lead(): void {
    this.tabs.leader = true;
    this.sender.reload();
    this.set({ connected: false, messages: mergeView(this.state.messages, this.pendingFromOutbox()) });
    this.tabs.lead();
    this.tabs.post({ t: 'lead' });
    this.conn.start();
  }

  private onTab(msg: TabMsg): void {
    if (this.tabs.leader) {
      if (msg.t === 'call') this.tabs.run(msg.id, msg.m, msg.a);
      else if (msg.t === 'hi') this.set({});
    } else if (msg.t === 'got') this.received(msg.p, !this.state.open || document.visibilityState === 'hidden');
    else if (msg.t === 'state') {
      // Open and unread belong to each tab; everything else is the leader's.
      const s = msg.s as WidgetState;
      this.state = { ...s, open: this.state.open, unread: this.state.unread };
      for (const fn of this.listeners) fn();
      this.links.adopt(s.urls);
      if (s.phase === 'ready') this.ready();
    } else this.tabs.follow(msg);
  }

  private received(got: unknown, away: boolean): void {
    if (away && !this.tabs.leader) this.set({ unread: this.state.unread + 1 });
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

  // ---- state -------------------------------------------------------------------------

  private markRead(): void {
    if (this.tabs.relay('markRead', [])) return;
    const conversationId = this.state.conversationId;
    const last = [...this.state.messages].reverse().find((m) => m.id && m.kind !== 'customer');
    if (conversationId && last?.id && this.authed) this.conn.send({ type: 'seen', conversationId, messageId: last.id });
  }

  private pendingFromOutbox(): ViewMessage[] {
    return this.sender.outbox.all().map(pendingView);
  }

  private findPending(clientMsgId: string): ViewMessage {
    return this.state.messages.find((m) => m.clientMsgId === clientMsgId) ?? { key: clientMsgId, kind: 'customer', name: '', text: '', at: '' };
  }

  updateMessage(clientMsgId: string, patch: Partial<ViewMessage>): void {
    this.set({ messages: this.state.messages.map((m) => (m.clientMsgId === clientMsgId ? { ...m, ...patch } : m)) });
  }

  set(patch: Partial<WidgetState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
    if (this.tabs.leader) this.tabs.post({ t: 'state', s: this.state });
  }
}

function latestOpen(list: readonly ConversationSummary[]): ConversationSummary | undefined {
  return list.filter((c) => c.status === 'open').sort((a, b) => Date.parse(b.updated) - Date.parse(a.updated))[0];
}
