/**
 * One agent socket (/ws/agent). The agent proves who they are with a single-use ticket
 * the app obtained over Forge Remote; from then on the socket may watch only
 * conversations of the projects the app vouched for.
 */
import type { WebSocket } from 'ws';
import { AgentClientFrame, type AgentServerFrame } from '../../protocol/agent-ws.js';
import { projectKeyOf } from '../../protocol/ids.js';
import { channels } from '../store/keys.js';
import { serviceKeys } from '../service-keys.js';
import { ServiceError } from '../errors.js';
import { randomToken, sha256Hex } from '../crypto.js';
import type { Ctx } from '../context.js';
import { redeemTicket, type TicketGrant } from '../auth/tickets.js';
import type { Envelope, Listener } from '../relay/hub.js';
import { Connection, type ConnectionHooks, type ConnectionKind } from './connection.js';
import { frameTypes } from './frames.js';
import type { BeatBatch } from './heartbeat.js';

const TYPES = frameTypes(AgentClientFrame);
const ORDERED: ReadonlySet<string> = new Set(['watch', 'unwatch', 'watch.project', 'status.set']);
export const HTTP_TOKEN_PREFIX = 'at_';
const HTTP_TOKEN_BYTES = 32;

type Frame = AgentClientFrame;
type Of<T extends Frame['type']> = Extract<Frame, { type: T }>;

export class AgentConnection extends Connection<Frame> implements Listener {
  protected get ordered(): ReadonlySet<string> {
    return ORDERED;
  }
  private grant: TicketGrant | null = null;
  private httpTokenKey: string | null = null;

  /** What all of a service's agent sockets share (server.ts makes it once). */
  static kind(ctx: Ctx, hooks: ConnectionHooks): ConnectionKind {
    return Object.freeze({ role: 'agent', limits: ctx.limits, log: ctx.log, now: ctx.clock, schema: AgentClientFrame, types: TYPES, hooks });
  }

  constructor(
    ws: WebSocket,
    private readonly ctx: Ctx,
    kind: ConnectionKind,
    ip = '',
  ) {
    super(ws, kind, ip);
  }

  get installationId(): string | null {
    return this.grant?.installationId ?? null;
  }

  protected get authenticated(): boolean {
    return this.grant !== null;
  }

  private out(frame: AgentServerFrame): void {
    this.send(frame);
  }

  protected async handle(frame: Frame): Promise<void> {
    switch (frame.type) {
      case 'auth':
        return this.auth(frame);
      case 'watch':
        return this.watch(frame);
      case 'unwatch':
        return this.ctx.hub.leave(channels.conversation(this.grant!.installationId, frame.conversationId), this);
      case 'watch.project':
        return this.watchProject(frame);
      case 'typing':
        return this.typing(frame);
      case 'seen':
        return this.seen(frame);
      case 'status.set':
        this.mayProject(frame.projectKey);
        await this.ctx.agents.setStatus(this.grant!.installationId, frame.projectKey, this.grant!.accountId, frame.status, false);
        return;
      case 'ping':
        return this.out({ type: 'pong' });
    }
  }

  private async auth(f: Of<'auth'>): Promise<void> {
    const grant = await redeemTicket(this.ctx.store.ephemeral, f.ticket);
    if (!grant) return this.fail('unauthenticated', 'ticket unknown, used or expired');
    const httpToken = HTTP_TOKEN_PREFIX + randomToken(HTTP_TOKEN_BYTES);
    this.httpTokenKey = serviceKeys.agentHttpToken(sha256Hex(httpToken));
    await this.ctx.store.ephemeral.set(this.httpTokenKey, { ...grant, projects: [...grant.projects] }, this.ctx.limits.reapAfterMs * 2);
    this.grant = grant;
    this.authDone();
    await this.ctx.agents.touch(grant.installationId, grant.accountId, grant.projects, this.id, true);
    this.out({ type: 'auth.ok', accountId: grant.accountId, projects: grant.projects, httpToken });
  }

  private mayProject(projectKey: string): void {
    if (!this.grant!.projects.includes(projectKey)) throw new ServiceError('forbidden', 'not one of your chat projects');
  }

  private async watch(f: Of<'watch'>): Promise<void> {
    this.mayProject(projectKeyOf(f.conversationId));
    const { installationId } = this.grant!;
    if (!(await this.listen(channels.conversation(installationId, f.conversationId)))) return;
    this.out({ type: 'watching', conversationId: f.conversationId });
    this.out({ type: 'customer.presence', conversationId: f.conversationId, presence: await this.ctx.customers.get(installationId, f.conversationId) });
  }

  private async watchProject(f: Of<'watch.project'>): Promise<void> {
    this.mayProject(f.projectKey);
    const { installationId } = this.grant!;
    if (!(await this.listen(channels.projectAgents(installationId, f.projectKey)))) return;
    this.out({ type: 'watching.project', projectKey: f.projectKey });
    this.out({ type: 'agents.presence', projectKey: f.projectKey, agents: await this.ctx.agents.list(installationId, f.projectKey) });
  }

  /** Joins a channel; a refusal would leave the page waiting for a `watching` that never comes (liveStateLost). */
  private async listen(channel: string): Promise<boolean> {
    try {
      await this.ctx.hub.join(channel, this);
      return true;
    } catch (err) {
      this.liveStateLost(err);
      return false;
    }
  }

  private async typing(f: Of<'typing'>): Promise<void> {
    this.mayProject(projectKeyOf(f.conversationId));
    const ch = channels.conversation(this.grant!.installationId, f.conversationId);
    const name: { name?: string } = f.on && f.name ? { name: f.name } : {};
    await this.ctx.hub.publish(ch, { to: 'customer', frame: { type: 'typing', conversationId: f.conversationId, on: f.on, ...name } });
    await this.ctx.hub.publish(ch, {
      to: 'agent',
      except: this.id,
      frame: { type: 'typing', conversationId: f.conversationId, on: f.on, who: 'agent', ...name },
    });
  }

  private async seen(f: Of<'seen'>): Promise<void> {
    this.mayProject(projectKeyOf(f.conversationId));
    const ch = channels.conversation(this.grant!.installationId, f.conversationId);
    await this.ctx.hub.publish(ch, { to: 'customer', frame: { type: 'seen', conversationId: f.conversationId, messageId: f.messageId } });
    await this.ctx.hub.publish(ch, {
      to: 'agent',
      except: this.id,
      frame: { type: 'seen', conversationId: f.conversationId, messageId: f.messageId, by: 'agent' },
    });
  }

  deliver(env: Envelope): void {
    this.send(env.frame as object);
  }

  onBeat(batch: BeatBatch): void {
    const g = this.grant;
    if (!g) return;
    this.ctx.agents.beat(batch, g.installationId, g.accountId, g.projects, this.id);
    if (this.httpTokenKey) batch.set(this.httpTokenKey, { ...g, projects: [...g.projects] }, this.ctx.limits.reapAfterMs * 2);
  }

  onReap(): void {
    this.log.info('agent.reaped', { installationId: this.grant?.installationId });
  }

  protected async onClose(): Promise<void> {
    await this.ctx.hub.leaveAll(this);
    const g = this.grant;
    if (!g) return;
    if (this.httpTokenKey) await this.ctx.store.ephemeral.delete(this.httpTokenKey);
    await this.ctx.agents.disconnect(g.installationId, g.accountId, g.projects, this.id);
  }
}

/** The grant behind an agent socket's HTTP bearer token, while the socket lives. */
export async function agentByHttpToken(ctx: Ctx, token: string): Promise<TicketGrant | null> {
  if (!token.startsWith(HTTP_TOKEN_PREFIX) || token.length > 100) return null;
  return ctx.store.ephemeral.get<{ installationId: string; accountId: string; projects: string[] }>(serviceKeys.agentHttpToken(sha256Hex(token)));
}
