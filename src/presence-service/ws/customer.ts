/**
 * One customer socket (/ws/customer). After `auth` it carries the visitor's frames to
 * the app's webtrigger (which writes Jira) and delivers live frames from the bus.
 * An ack is sent only after the app answered: then the message is in Jira.
 */
import type { WebSocket } from 'ws';
import { CustomerClientFrame, parseMessageSendFast, type CustomerServerFrame } from '../../protocol/customer-ws.js';
import type { ChatMessage, ConversationSummary } from '../../protocol/model.js';
import type { ProjectChatConfig } from '../../protocol/model.js';
import { MAX_VIEWS_PER_SOCKET } from '../../protocol/limits.js';
import { channels } from '../store/keys.js';
import { DONE } from '../store/ports.js';
import { ServiceError, toServiceError } from '../errors.js';
import type { Ctx } from '../context.js';
import type { AppCallInput } from '../app-client.js';
import type { InboundCallType, InboundResponseOf } from '../../protocol/webtrigger.js';
import { admitCustomer, type CustomerSession } from './customer-auth.js';
import type { Envelope, Listener } from '../relay/hub.js';
import { Connection, type ConnectionHooks, type ConnectionKind, CLOSE_POLICY } from './connection.js';
import { frameTypes } from './frames.js';
import type { BeatBatch } from './heartbeat.js';
import type { FeedMember, ProjectFeed } from '../presence/availability-feed.js';

const TYPES = frameTypes(CustomerClientFrame);
const ORDERED: ReadonlySet<string> = new Set(['conversation.start', 'message.send', 'attachment.send']);
const NONE: ReadonlyMap<string, string> = new Map();
/**
 * A newest-page `history` the app could not answer (Jira or the app away for a moment) is
 * tried again here, then answered: until it succeeds the socket does not listen to the
 * conversation, and the widget asks once per connection. About half a minute in all.
 */
export const HISTORY_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 16_000];

type Frame = CustomerClientFrame;
type Of<T extends Frame['type']> = Extract<Frame, { type: T }>;

/**
 * Idle visitors are most of an instance's sockets, so what one holds is kept small: the
 * project's config, availability and widget look live once per project in its feed
 * (presence/availability-feed.ts), not per socket; the owned-conversation set exists only
 * once there is a conversation.
 */
export class CustomerConnection extends Connection<Frame> implements Listener, FeedMember {
  protected get ordered(): ReadonlySet<string> {
    return ORDERED;
  }
  private s: CustomerSession | null = null;
  /**
   * Conversations this socket has proved it owns (app-confirmed), each with its channel name
   * (named once, not per message); null until the first.
   */
  private ownedMap: Map<string, string> | null = null;
  private feed: ProjectFeed | null = null;
  /** Conversations whose history is being tried again (HISTORY_RETRY_DELAYS_MS); made on the first failure. */
  private historyRetries: Set<string> | null = null;
  /** `view` frames seen on this socket (MAX_VIEWS_PER_SOCKET). */
  private views = 0;

  /** What all of a service's customer sockets share (server.ts makes it once). */
  static kind(ctx: Ctx, hooks: ConnectionHooks): ConnectionKind {
    return Object.freeze({
      role: 'customer',
      limits: ctx.limits,
      log: ctx.log,
      now: ctx.clock,
      schema: CustomerClientFrame,
      types: TYPES,
      fast: parseMessageSendFast,
      hooks,
    });
  }

  constructor(
    ws: WebSocket,
    private readonly ctx: Ctx,
    kind: ConnectionKind,
    /** The page's Origin, checked at auth and then let go (a string per idle socket otherwise). */
    private origin: string | undefined,
    ip = '',
  ) {
    super(ws, kind, ip);
  }

  private get owned(): ReadonlyMap<string, string> {
    return this.ownedMap ?? NONE;
  }

  get timeZone(): string | undefined {
    return this.s?.timeZone;
  }

  /** The project's current configuration (kept fresh by its feed). */
  private get config(): ProjectChatConfig {
    return this.feed?.config ?? this.s!.config;
  }

  get installationId(): string | null {
    return this.s?.installationId ?? null;
  }

  protected get authenticated(): boolean {
    return this.s !== null;
  }

  // Not async: each async layer is one more promise per frame.
  protected handle(frame: Frame): Promise<void> | void {
    switch (frame.type) {
      case 'auth':
        return this.auth(frame);
      case 'conversation.start':
        return this.start(frame);
      case 'message.send':
        return this.postToConversation(frame.conversationId, frame.clientMsgId, frame.text, undefined);
      case 'attachment.send':
        return this.sendAttachment(frame);
      case 'typing':
        return this.typing(frame);
      case 'seen':
        return this.seen(frame);
      case 'history':
        return this.history(frame);
      case 'attachment.url':
        return this.attachmentUrl(frame);
      case 'ping':
        return this.send({ type: 'pong' });
      case 'rating':
        return this.rate(frame);
      case 'view':
        return this.view(frame);
    }
  }

  /** Counted for the app's analytics (usage/counter.ts), which drops it unread while the site's analytics is off. */
  private async view(f: Of<'view'>): Promise<void> {
    if (++this.views > MAX_VIEWS_PER_SOCKET) return;
    await this.ctx.usage.count(this.s!.installationId, this.config.projectKey, f.what);
  }

  /** The app, called for this socket's work: its request id goes along (request-id.ts). */
  private app<T extends InboundCallType>(installationId: string, call: Extract<AppCallInput, { type: T }>): Promise<InboundResponseOf<T>> {
    return this.ctx.app.call(installationId, call, this.requestId);
  }

  private out(frame: CustomerServerFrame): void {
    this.send(frame);
  }

  // ---- auth ---------------------------------------------------------------------

  private async auth(f: Of<'auth'>): Promise<void> {
    const { ctx } = this;
    const r = await admitCustomer(ctx, this.origin, f);
    if (!r.ok) return this.fail(r.code, r.message);
    this.origin = undefined;
    const { session: s, issued } = r;
    this.s = s;
    this.authDone();
    const listed = s.record.accountId ? await this.listConversations(s.installationId, this.config.projectKey, s.record.accountId) : { conversations: [] };
    const { conversations } = listed;
    // A known customer's name comes from Jira, for this socket only.
    if (!s.name && listed.customerName) s.name = listed.customerName;
    if (conversations?.length) this.ownedMap = new Map(conversations.map((c) => [c.id, channels.conversation(s.installationId, c.id)]));
    if (s.record.accountId) await ctx.hub.join(channels.customer(s.installationId, s.record.accountId), this);
    for (const channel of this.owned.values()) await ctx.hub.join(channel, this);
    if (this.owned.size > 0) await ctx.customers.touch(s.installationId, this.owned.keys(), this.id, true);
    const availability = await ctx.feeds.current(s.installationId, s.config, s.timeZone);
    if (this.closed) return;
    this.out({
      type: 'auth.ok',
      ...(issued ? { token: issued } : {}),
      // From the site's signed identity only: the service stores no names or emails (the widget remembers what its visitor typed).
      customer: { name: s.name, email: s.email, verified: s.record.verified },
      config: s.config.widget,
      availability,
      ...(conversations ? { conversations } : {}),
    });
    // After auth.ok, so an availability push can never overtake it.
    this.feed = await ctx.feeds.join(this, s.installationId, s.config, availability);
    // The project's one copy from here on, not this socket's own.
    s.config = this.feed.config;
    if (this.closed) ctx.feeds.leave(this, this.feed);
  }

  private async listConversations(
    installationId: string,
    projectKey: string,
    accountId: string,
  ): Promise<{ conversations?: ConversationSummary[]; customerName?: string }> {
    try {
      return await this.app(installationId, { type: 'conversations.list', projectKey, customerAccountId: accountId });
    } catch (err) {
      // The chat still opens, with no list rather than an empty one: "no conversations" would
      // tell a returning widget that its open conversation had ended.
      this.log.warn('customer.conversations_unavailable', { installationId, err });
      return {};
    }
  }

  // ---- messages -----------------------------------------------------------------

  private async start(f: Of<'conversation.start'>): Promise<void> {
    const s = this.s!;
    const { ctx } = this;
    // A signed identity wins over the form; otherwise the form, then what this session already knows.
    const signed = s.record.verified && s.email !== null;
    const name = signed ? (s.name ?? f.prechat.name ?? null) : (f.prechat.name ?? s.name);
    const email = signed ? s.email : (f.prechat.email ?? s.email);
    if (this.config.widget.requireEmail && !email)
      return this.failed(f.clientMsgId, new ServiceError('invalid', 'prechat.email: an email address is required', false));
    if (this.config.widget.requireName && !name) return this.failed(f.clientMsgId, new ServiceError('invalid', 'prechat.name: a name is required', false));
    for (const field of this.config.widget.prechatFields) {
      if (field.required && !f.prechat.fields?.[field.id])
        return this.failed(f.clientMsgId, new ServiceError('invalid', `prechat.fields.${field.id}: required`, false));
    }
    let r;
    try {
      r = await this.app(s.installationId, {
        type: 'conversation.start',
        projectKey: this.config.projectKey,
        clientMsgId: f.clientMsgId,
        caller: (s.callerKey ??= ctx.visitors.callerKey(s.tokenHash)),
        channel: 'web',
        customer: { ...(s.record.accountId ? { accountId: s.record.accountId } : {}), name, email, verified: s.record.verified },
        prechatFields: f.prechat.fields ?? {},
        text: f.text,
        offline: f.offline,
      });
    } catch (err) {
      return this.failed(f.clientMsgId, err);
    }
    // A known customer is never handed another account (the app refuses that already; a
    // second lock, so no answer can ever move this visitor to someone else's conversations).
    if (s.record.accountId && r.customerAccountId !== s.record.accountId) {
      this.log.warn('customer.foreign_account_refused', { installationId: s.installationId });
      return this.failed(f.clientMsgId, new ServiceError('forbidden', 'this message id belongs to another conversation', false));
    }
    // The message is in Jira now: acknowledge first, then the live extras (which need the store).
    this.out({ type: 'message.ack', clientMsgId: f.clientMsgId, conversationId: r.conversationId, messageId: r.messageId, at: r.at });
    // Name and email went to Jira with the request; here they live in this socket's memory only.
    s.name = name;
    s.email = email;
    try {
      if (s.record.accountId !== r.customerAccountId) {
        s.record = { ...s.record, accountId: r.customerAccountId };
        await ctx.visitors.save(s.installationId, s.tokenHash, s.record);
        await ctx.hub.join(channels.customer(s.installationId, r.customerAccountId), this);
      }
      await this.own(r.conversationId);
    } catch (err) {
      return this.liveStateLost(err);
    }
    const message = this.customerMessage(r.conversationId, r.messageId, f.clientMsgId, f.text, r.at);
    await ctx.hub.announce(channels.conversation(s.installationId, r.conversationId), { to: 'agent', frame: { type: 'message', message } });
    await ctx.hub.announce(channels.customer(s.installationId, r.customerAccountId), {
      to: 'customer',
      except: this.id,
      frame: { type: 'conversation.updated', conversation: { id: r.conversationId, status: 'open', updated: r.at } },
    });
    await this.activity(r.conversationId, 'new', r.at);
    // A live chat (not a left message) goes to an agent with room, or waits for one; the ack is already out.
    if (!f.offline)
      void ctx.assigner
        .chatStarted(s.installationId, s.config.projectKey, r.conversationId)
        .catch((err) => this.log.warn('assignment.start_failed', { installationId: s.installationId, err }));
  }

  private async sendAttachment(f: Of<'attachment.send'>): Promise<void> {
    const s = this.s!;
    const att = this.ctx.attachments;
    if (!att) return this.failed(f.clientMsgId, new ServiceError('unavailable', 'attachments are not enabled', false));
    const ref = await att.describe(s.installationId, f.attachmentId);
    // An upload belongs to the conversation it was made for; another's id is simply unknown here.
    if (!ref || ref.conversationId !== f.conversationId)
      return this.failed(f.clientMsgId, new ServiceError('not_found', 'no such attachment (expired or never uploaded)', false));
    const { id, name, size, mime, url } = ref;
    await this.postToConversation(f.conversationId, f.clientMsgId, f.caption ?? '', { id, name, size, mime, url });
  }

  private async postToConversation(
    conversationId: string,
    clientMsgId: string,
    text: string,
    attachment: { id: string; name: string; size: number; mime: string; url: string } | undefined,
  ): Promise<void> {
    const s = this.s!;
    const { ctx } = this;
    if (!s.record.accountId) return this.failed(clientMsgId, new ServiceError('forbidden', 'start a conversation first', false));
    let r;
    try {
      r = await this.app(s.installationId, {
        type: 'message.customer',
        conversationId,
        customerAccountId: s.record.accountId,
        clientMsgId,
        caller: (s.callerKey ??= ctx.visitors.callerKey(s.tokenHash)),
        text,
        ...(attachment ? { attachment } : {}),
      });
    } catch (err) {
      return this.failed(clientMsgId, err);
    }
    this.out({ type: 'message.ack', clientMsgId, conversationId, messageId: r.messageId, at: r.at });
    let channel = this.owned.get(conversationId);
    if (!channel) {
      try {
        channel = await this.own(conversationId);
      } catch (err) {
        return this.liveStateLost(err);
      }
    }
    const { hub } = ctx;
    // Built only when someone could take it (often no one does: no agent or other tab watching).
    if (hub.reaches(channel, 'all', this.id)) {
      const message = this.customerMessage(conversationId, r.messageId, clientMsgId, text, r.at);
      if (attachment) message.attachment = { id: attachment.id, name: attachment.name, size: attachment.size, mime: attachment.mime };
      await hub.announce(channel, { to: 'all', except: this.id, frame: { type: 'message', message } });
    }
    const activity = this.activity(conversationId, 'customer_message', r.at);
    // The shared settled DONE (nobody to tell) needs no await: it would only cost a turn.
    if (activity !== DONE) await activity;
  }

  private customerMessage(conversationId: string, id: string, clientMsgId: string, text: string, at: string): ChatMessage {
    const s = this.s!;
    const accountId = s.record.accountId;
    return { id, conversationId, clientMsgId, author: { kind: 'customer', ...(accountId ? { accountId } : {}), name: s.name ?? 'Visitor' }, text, at };
  }

  /** `DONE` when no agent could take it (nothing built or published). */
  private activity(conversationId: string, kind: 'new' | 'customer_message', at: string): Promise<void> {
    const s = this.s!;
    const { hub } = this.ctx;
    const channel = this.feed?.agentsChannel ?? channels.projectAgents(s.installationId, this.config.projectKey);
    if (!hub.reaches(channel, 'agent')) return DONE;
    return hub.announce(channel, {
      to: 'agent',
      frame: { type: 'conversation.activity', activity: { projectKey: this.config.projectKey, conversationId, kind, at, customerName: s.name } },
    });
  }

  private failed(clientMsgId: string, err: unknown): void {
    // A store outage (Redis restarting or failing over) is `unavailable`, retryable, and no bug to log as one.
    const outage = (err as { code?: unknown } | null)?.code === 'store_unavailable';
    const e = err instanceof ServiceError ? err : outage ? toServiceError(err) : new ServiceError('internal', 'could not send the message', true);
    if (!(err instanceof ServiceError)) this.log[outage ? 'warn' : 'error']('customer.send_failed', { err });
    this.out({ type: 'message.failed', clientMsgId, code: e.wireCode, message: e.message, retryable: e.retryable });
  }

  // ---- conversation access ------------------------------------------------------

  /** Records an app-confirmed conversation of this customer and starts listening to it; its channel. */
  private async own(conversationId: string): Promise<string> {
    const known = this.owned.get(conversationId);
    if (known) return known;
    const s = this.s!;
    const channel = channels.conversation(s.installationId, conversationId);
    // Owned once listening: a join the store refused must be tried again by the next frame, not taken as done.
    await this.ctx.hub.join(channel, this);
    (this.ownedMap ??= new Map()).set(conversationId, channel);
    await this.ctx.customers.touch(s.installationId, [conversationId], this.id, true);
    return channel;
  }

  /** Ownership is the app's to decide (Jira knows the reporter); the answer is kept for this socket. */
  private async assertOwns(conversationId: string): Promise<void> {
    if (this.owned.has(conversationId)) return;
    const s = this.s!;
    if (!s.record.accountId) throw new ServiceError('forbidden', 'not your conversation');
    try {
      await this.app(s.installationId, { type: 'history', conversationId, customerAccountId: s.record.accountId, limit: 1 });
    } catch (err) {
      if (err instanceof ServiceError && (err.code === 'forbidden' || err.code === 'not_found')) throw new ServiceError('forbidden', 'not your conversation');
      throw err;
    }
    await this.own(conversationId);
  }

  private async typing(f: Of<'typing'>): Promise<void> {
    await this.assertOwns(f.conversationId);
    const s = this.s!;
    await this.ctx.hub.publish(channels.conversation(s.installationId, f.conversationId), {
      to: 'agent',
      frame: { type: 'typing', conversationId: f.conversationId, on: f.on, who: 'customer', ...(s.name ? { name: s.name } : {}) },
    });
  }

  private async seen(f: Of<'seen'>): Promise<void> {
    await this.assertOwns(f.conversationId);
    await this.ctx.hub.publish(channels.conversation(this.s!.installationId, f.conversationId), {
      to: 'agent',
      frame: { type: 'seen', conversationId: f.conversationId, messageId: f.messageId, by: 'customer' },
    });
  }

  private async history(f: Of<'history'>): Promise<void> {
    try {
      await this.readHistory(f);
    } catch (err) {
      if (!f.before && err instanceof ServiceError && err.retryable) this.retryHistory(f.conversationId);
      throw err;
    }
  }

  private retryHistory(conversationId: string): void {
    if (this.historyRetries?.has(conversationId)) return;
    (this.historyRetries ??= new Set()).add(conversationId);
    void (async () => {
      for (const ms of HISTORY_RETRY_DELAYS_MS) {
        await new Promise((r) => setTimeout(r, ms).unref());
        if (this.closed) return;
        try {
          return await this.readHistory({ type: 'history', conversationId });
        } catch (err) {
          if (!(err instanceof ServiceError && err.retryable)) return;
        }
      }
    })()
      .catch(() => {})
      .finally(() => this.historyRetries?.delete(conversationId));
  }

  private async readHistory(f: Of<'history'>): Promise<void> {
    const s = this.s!;
    if (!s.record.accountId) throw new ServiceError('forbidden', 'not your conversation');
    // Listening before reading: a reply written just after Jira was read and relayed before
    // the socket joined would be in neither the page nor the live stream. An unlisted
    // conversation (the list failed at auth) costs one more app call, for the check.
    await this.assertOwns(f.conversationId);
    // Always from Jira through the app: the service keeps no copy of messages.
    const r = await this.app(s.installationId, {
      type: 'history',
      conversationId: f.conversationId,
      customerAccountId: s.record.accountId,
      ...(f.before ? { before: f.before } : {}),
    });
    this.out({ type: 'history', conversationId: f.conversationId, messages: r.messages, hasMore: r.hasMore });
  }

  /** Straight through to the app, which records it as the request's JSM feedback: the service keeps nothing of it. */
  private async rate(f: Of<'rating'>): Promise<void> {
    const s = this.s!;
    if (!s.record.accountId) throw new ServiceError('forbidden', 'not your conversation');
    await this.app(s.installationId, {
      type: 'feedback',
      conversationId: f.conversationId,
      customerAccountId: s.record.accountId,
      caller: (s.callerKey ??= this.ctx.visitors.callerKey(s.tokenHash)),
      rating: f.rating,
      ...(f.comment ? { comment: f.comment } : {}),
    });
    this.out({ type: 'rated', conversationId: f.conversationId });
  }

  private async attachmentUrl(f: Of<'attachment.url'>): Promise<void> {
    await this.assertOwns(f.conversationId);
    if (!this.ctx.attachments) throw new ServiceError('not_found', 'attachments are not enabled');
    const r = await this.ctx.attachments.downloadUrl(this.s!.installationId, f.conversationId, f.attachmentId);
    if (!r) throw new ServiceError('not_found', 'no such attachment');
    // Said as its own frame, so the widget can tell the visitor the file is gone here but kept in Jira.
    if ('expired' in r) return this.out({ type: 'attachment.expired', attachmentId: f.attachmentId });
    this.out({ type: 'attachment.url', attachmentId: f.attachmentId, url: r.url, expiresAt: r.expiresAt });
  }

  // ---- bus, heartbeat, close ----------------------------------------------------

  deliver(env: Envelope): void {
    const frame = env.frame as { type: string; conversation?: { id: string } };
    if (frame.type === 'conversation.updated' && frame.conversation && !this.owned.has(frame.conversation.id)) {
      // Another tab of the same customer started it: follow it here too.
      void this.own(frame.conversation.id).catch(() => {});
    }
    this.send(frame);
  }

  onBeat(batch: BeatBatch): void {
    const s = this.s;
    // An idle visitor without a conversation has nothing in the store to keep alive.
    if (!s) return;
    if (this.owned.size > 0) this.ctx.customers.beat(batch, s.installationId, this.owned.keys(), this.id);
  }

  onReap(): void {
    this.log.info('customer.reaped', { installationId: this.s?.installationId });
  }

  protected async onClose(): Promise<void> {
    const s = this.s;
    if (this.feed) this.ctx.feeds.leave(this, this.feed);
    await this.ctx.hub.leaveAll(this);
    if (!s) return;
    this.ctx.visitorSockets.remove(s.tokenHash);
    if (this.owned.size > 0) await this.ctx.customers.leave(s.installationId, this.owned.keys(), this.id);
  }

  static policyClose(ws: WebSocket, code: 'origin_not_allowed' | 'rate_limited', message: string): void {
    ws.send(JSON.stringify({ type: 'error', code, message }));
    ws.close(CLOSE_POLICY, code);
  }
}
