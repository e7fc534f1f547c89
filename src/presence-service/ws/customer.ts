/**
 * One customer socket (/ws/customer). After `auth` it carries the visitor's frames to
 * the app's webtrigger (which writes Jira) and delivers live frames from the bus.
 * An ack is sent only after the app answered: then the message is in Jira.
 */
import type { WebSocket } from 'ws';
import { CustomerClientFrame, type CustomerServerFrame } from '../../protocol/customer-ws.js';
import type { Availability, ChatMessage } from '../../protocol/model.js';
import { channels } from '../store/keys.js';
import { serviceChannels, serviceKeys } from '../service-keys.js';
import { ServiceError, toServiceError } from '../errors.js';
import type { Ctx } from '../context.js';
import { admitCustomer, type CustomerSession } from './customer-auth.js';
import type { Envelope, Listener } from '../relay/hub.js';
import { Connection, CLOSE_POLICY } from './connection.js';
import { frameTypes } from './frames.js';

const TYPES = frameTypes(CustomerClientFrame);

type Frame = CustomerClientFrame;
type Of<T extends Frame['type']> = Extract<Frame, { type: T }>;

export class CustomerConnection extends Connection<Frame> implements Listener {
  readonly role = 'customer' as const;
  protected readonly ordered: ReadonlySet<string> = new Set(['conversation.start', 'message.send', 'attachment.send']);
  private s: CustomerSession | null = null;
  /** Conversations this socket has proved it owns (app-confirmed). */
  private readonly owned = new Set<string>();
  private lastAvailability = '';
  private lastWidgetConfig = '';

  constructor(
    ws: WebSocket,
    private readonly ctx: Ctx,
    private readonly origin: string | undefined,
  ) {
    super(ws, ctx.limits, ctx.log, ctx.clock, CustomerClientFrame, TYPES);
  }

  get installationId(): string | null {
    return this.s?.installationId ?? null;
  }

  protected get authenticated(): boolean {
    return this.s !== null;
  }

  protected async handle(frame: Frame): Promise<void> {
    switch (frame.type) {
      case 'auth':
        return this.auth(frame);
      case 'conversation.start':
        return this.start(frame);
      case 'message.send':
        return this.sendMessage(frame);
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
    }
  }

  private out(frame: CustomerServerFrame): void {
    this.send(frame);
  }

  // ---- auth ---------------------------------------------------------------------

  private async auth(f: Of<'auth'>): Promise<void> {
    const { ctx } = this;
    const r = await admitCustomer(ctx, this.origin, f, this.id);
    if (!r.ok) return this.fail(r.code, r.message);
    const { session: s, issued } = r;
    this.s = s;
    this.authDone();
    const listed = s.record.accountId ? await this.listConversations(s.installationId, s.config.projectKey, s.record.accountId) : { conversations: [] };
    const conversations = listed.conversations;
    // A known customer's name comes from Jira, for this socket only.
    if (!s.name && listed.customerName) s.name = listed.customerName;
    for (const c of conversations) this.owned.add(c.id);
    await ctx.hub.join(serviceChannels.projectCustomers(s.installationId, s.config.projectKey), this);
    if (s.record.accountId) await ctx.hub.join(channels.customer(s.installationId, s.record.accountId), this);
    for (const id of this.owned) await ctx.hub.join(channels.conversation(s.installationId, id), this);
    await ctx.customers.touch(s.installationId, this.owned, this.id, true);
    const availability = await this.availability();
    this.lastAvailability = JSON.stringify(availability);
    this.lastWidgetConfig = JSON.stringify(s.config.widget);
    this.out({
      type: 'auth.ok',
      ...(issued ? { token: issued } : {}),
      // From the site's signed identity only: the service stores no names or emails (the widget remembers what its visitor typed).
      customer: { name: s.name, email: s.email, verified: s.record.verified },
      config: s.config.widget,
      availability,
      conversations,
    });
  }

  private async listConversations(installationId: string, projectKey: string, accountId: string) {
    try {
      return await this.ctx.app.call(installationId, { type: 'conversations.list', projectKey, customerAccountId: accountId });
    } catch (err) {
      // The chat still opens; the list arrives empty and history can be asked for later.
      this.ctx.log.warn('customer.conversations_unavailable', { installationId, err });
      return { conversations: [] };
    }
  }

  private async availability(): Promise<Availability> {
    const s = this.s!;
    return this.ctx.availability.forProject(s.installationId, s.config, s.timeZone);
  }

  /** Re-evaluate and push availability if it changed (agent status, schedule boundary). */
  async refreshAvailability(): Promise<void> {
    if (!this.s || this.closed) return;
    const fresh = await this.ctx.projects.get(this.s.installationId, this.s.config.projectKey);
    if (fresh) this.s.config = fresh;
    // Settings saved: push the widget's look too, so colours apply without a reload.
    const widget = JSON.stringify(this.s.config.widget);
    if (widget !== this.lastWidgetConfig) {
      this.lastWidgetConfig = widget;
      this.out({ type: 'config', config: this.s.config.widget });
    }
    const a = await this.availability();
    const json = JSON.stringify(a);
    if (json === this.lastAvailability) return;
    this.lastAvailability = json;
    this.out({ type: 'availability', availability: a });
  }

  // ---- messages -----------------------------------------------------------------

  private async start(f: Of<'conversation.start'>): Promise<void> {
    const s = this.s!;
    const { ctx } = this;
    // A signed identity wins over the form; otherwise the form, then what this session already knows.
    const signed = s.record.verified && s.email !== null;
    const name = signed ? s.name ?? f.prechat.name ?? null : f.prechat.name ?? s.name;
    const email = signed ? s.email : f.prechat.email ?? s.email;
    if (s.config.widget.requireEmail && !email) return this.failed(f.clientMsgId, new ServiceError('invalid', 'prechat.email: an email address is required', false));
    if (s.config.widget.requireName && !name) return this.failed(f.clientMsgId, new ServiceError('invalid', 'prechat.name: a name is required', false));
    for (const field of s.config.widget.prechatFields) {
      if (field.required && !f.prechat.fields?.[field.id]) return this.failed(f.clientMsgId, new ServiceError('invalid', `prechat.fields.${field.id}: required`, false));
    }
    let r;
    try {
      r = await ctx.app.call(s.installationId, {
        type: 'conversation.start',
        projectKey: s.config.projectKey,
        clientMsgId: f.clientMsgId,
        caller: s.callerKey,
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
      this.ctx.log.warn('customer.foreign_account_refused', { installationId: s.installationId });
      return this.failed(f.clientMsgId, new ServiceError('forbidden', 'this message id belongs to another conversation', false));
    }
    // The message is in Jira now: acknowledge first, then the live extras (which need the store).
    this.out({ type: 'message.ack', clientMsgId: f.clientMsgId, conversationId: r.conversationId, messageId: r.messageId, at: r.at });
    // Name and email went to Jira with the request; here they live in this socket's memory only.
    s.name = name;
    s.email = email;
    if (s.record.accountId !== r.customerAccountId) {
      s.record = { ...s.record, accountId: r.customerAccountId };
      await ctx.visitors.save(s.installationId, s.tokenHash, s.record);
      await ctx.hub.join(channels.customer(s.installationId, r.customerAccountId), this);
    }
    await this.own(r.conversationId);
    const message = this.customerMessage(r.conversationId, r.messageId, f.clientMsgId, f.text, r.at);
    await ctx.hub.publish(channels.conversation(s.installationId, r.conversationId), { to: 'agent', frame: { type: 'message', message } });
    await ctx.hub.publish(channels.customer(s.installationId, r.customerAccountId), {
      to: 'customer',
      except: this.id,
      frame: { type: 'conversation.updated', conversation: { id: r.conversationId, status: 'open', updated: r.at } },
    });
    await this.activity(r.conversationId, 'new', r.at);
  }

  private async sendMessage(f: Of<'message.send'>): Promise<void> {
    await this.postToConversation(f.conversationId, f.clientMsgId, f.text, undefined);
  }

  private async sendAttachment(f: Of<'attachment.send'>): Promise<void> {
    const s = this.s!;
    const att = this.ctx.attachments;
    if (!att) return this.failed(f.clientMsgId, new ServiceError('unavailable', 'attachments are not enabled', false));
    const ref = await att.describe(s.installationId, f.attachmentId);
    // An upload belongs to the conversation it was made for; another's id is simply unknown here.
    if (!ref || ref.conversationId !== f.conversationId) return this.failed(f.clientMsgId, new ServiceError('not_found', 'no such attachment (expired or never uploaded)', false));
    const { id, name, size, mime, url } = ref;
    await this.postToConversation(f.conversationId, f.clientMsgId, f.caption ?? '', { id, name, size, mime, url });
  }

  private async postToConversation(conversationId: string, clientMsgId: string, text: string, attachment: { id: string; name: string; size: number; mime: string; url: string } | undefined): Promise<void> {
    const s = this.s!;
    const { ctx } = this;
    if (!s.record.accountId) return this.failed(clientMsgId, new ServiceError('forbidden', 'start a conversation first', false));
    let r;
    try {
      r = await ctx.app.call(s.installationId, { type: 'message.customer', conversationId, customerAccountId: s.record.accountId, clientMsgId, caller: s.callerKey, text, ...(attachment ? { attachment } : {}) });
    } catch (err) {
      return this.failed(clientMsgId, err);
    }
    this.out({ type: 'message.ack', clientMsgId, conversationId, messageId: r.messageId, at: r.at });
    await this.own(conversationId);
    const message = this.customerMessage(conversationId, r.messageId, clientMsgId, text, r.at);
    if (attachment) message.attachment = { id: attachment.id, name: attachment.name, size: attachment.size, mime: attachment.mime };
    await ctx.hub.publish(channels.conversation(s.installationId, conversationId), { to: 'all', except: this.id, frame: { type: 'message', message } });
    await this.activity(conversationId, 'customer_message', r.at);
  }

  private customerMessage(conversationId: string, id: string, clientMsgId: string, text: string, at: string): ChatMessage {
    const s = this.s!;
    const accountId = s.record.accountId;
    return { id, conversationId, clientMsgId, author: { kind: 'customer', ...(accountId ? { accountId } : {}), name: s.name ?? 'Visitor' }, text, at };
  }

  private async activity(conversationId: string, kind: 'new' | 'customer_message', at: string): Promise<void> {
    const s = this.s!;
    await this.ctx.hub.publish(channels.projectAgents(s.installationId, s.config.projectKey), {
      to: 'agent',
      frame: { type: 'conversation.activity', activity: { projectKey: s.config.projectKey, conversationId, kind, at, customerName: s.name } },
    });
  }

  private failed(clientMsgId: string, err: unknown): void {
    // A store outage (Redis restarting or failing over) is `unavailable`, retryable, and no bug to log as one.
    const outage = (err as { code?: unknown } | null)?.code === 'store_unavailable';
    const e = err instanceof ServiceError ? err : outage ? toServiceError(err) : new ServiceError('internal', 'could not send the message', true);
    if (!(err instanceof ServiceError)) this.ctx.log[outage ? 'warn' : 'error']('customer.send_failed', { err });
    this.out({ type: 'message.failed', clientMsgId, code: e.code, message: e.message, retryable: e.retryable });
  }

  // ---- conversation access ------------------------------------------------------

  /** Records an app-confirmed conversation of this customer and starts listening to it. */
  private async own(conversationId: string): Promise<void> {
    if (this.owned.has(conversationId)) return;
    const s = this.s!;
    this.owned.add(conversationId);
    await this.ctx.hub.join(channels.conversation(s.installationId, conversationId), this);
    await this.ctx.customers.touch(s.installationId, [conversationId], this.id, true);
  }

  /** Ownership is the app's to decide (Jira knows the reporter); the answer is kept for this socket. */
  private async assertOwns(conversationId: string): Promise<void> {
    if (this.owned.has(conversationId)) return;
    const s = this.s!;
    if (!s.record.accountId) throw new ServiceError('forbidden', 'not your conversation');
    try {
      await this.ctx.app.call(s.installationId, { type: 'history', conversationId, customerAccountId: s.record.accountId, limit: 1 });
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
    const s = this.s!;
    if (!s.record.accountId) throw new ServiceError('forbidden', 'not your conversation');
    // Always from Jira through the app: the service keeps no copy of messages.
    const r = await this.ctx.app.call(s.installationId, { type: 'history', conversationId: f.conversationId, customerAccountId: s.record.accountId, ...(f.before ? { before: f.before } : {}) });
    await this.own(f.conversationId);
    this.out({ type: 'history', conversationId: f.conversationId, messages: r.messages, hasMore: r.hasMore });
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
    if (frame.type === '$availability') {
      void this.refreshAvailability().catch((err) => this.ctx.log.warn('customer.availability_failed', { err }));
      return;
    }
    if (frame.type === 'conversation.updated' && frame.conversation && !this.owned.has(frame.conversation.id)) {
      // Another tab of the same customer started it: follow it here too.
      void this.own(frame.conversation.id).catch(() => {});
    }
    this.send(frame);
  }

  onBeat(): void {
    const s = this.s;
    if (!s) return;
    const e = this.ctx.store.ephemeral;
    void Promise.all([
      e.touchMember(serviceKeys.visitorSockets(s.installationId, s.tokenHash), this.id, null, this.ctx.limits.presenceTtlMs),
      this.ctx.customers.touch(s.installationId, this.owned, this.id, false),
    ]).catch((err) => this.ctx.log.debug('customer.heartbeat_store_failed', { err }));
  }

  onReap(): void {
    this.ctx.log.info('customer.reaped', { installationId: this.s?.installationId });
  }

  protected async onClose(): Promise<void> {
    const s = this.s;
    await this.ctx.hub.leaveAll(this);
    if (!s) return;
    await this.ctx.store.ephemeral.removeMember(serviceKeys.visitorSockets(s.installationId, s.tokenHash), this.id);
    await this.ctx.customers.leave(s.installationId, this.owned, this.id);
  }

  static policyClose(ws: WebSocket, code: 'origin_not_allowed' | 'rate_limited', message: string): void {
    ws.send(JSON.stringify({ type: 'error', code, message }));
    ws.close(CLOSE_POLICY, code);
  }
}
