/**
 * Availability and widget-look pushes to this instance's visitor sockets, per project.
 *
 * One feed per project with local visitors listens on the project's customer channel (one
 * bus subscription per instance, not per socket). On a signal (an agent's status, settings
 * saved) or the schedule ticker it reads the project once, evaluates availability once per
 * visitor time zone in use (once in all when hours follow the project's zone), serialises
 * the frame once and sends that same buffer to every socket whose answer changed. Signals
 * arriving while a refresh runs are folded into one more refresh.
 */
import type { ConnectionHooks, ConnectionKind } from '../ws/connection.js';
import type { WebSocket } from 'ws';
import type { Availability, ProjectChatConfig } from '../../protocol/model.js';
import type { Logger } from '../log.js';
import type { Envelope, Hub, Listener } from '../relay/hub.js';
import type { Projects } from '../projects.js';
import type { AvailabilityService } from './availability.js';
import { serviceChannels } from '../service-keys.js';
import { channels } from '../store/keys.js';

/** What a feed needs of a socket. */
export interface FeedMember {
  readonly ws: WebSocket;
  /** Its kind's hooks count the frames a broadcast sends (metrics). */
  readonly kind: Pick<ConnectionKind, 'hooks'>;
  /** The visitor's IANA zone, when the widget said it (hoursZone "visitor"). */
  readonly timeZone: string | undefined;
}

/** ws sends a Buffer as binary unless told otherwise; frames are text. */
const TEXT = { binary: false } as const;

interface ZoneGroup {
  members: Set<FeedMember>;
  /** The availability JSON these members were last told. */
  last: string;
}

export class ProjectFeed implements Listener {
  readonly role = 'customer' as const;
  readonly id: string;
  readonly channel: string;
  /** The project's agent channel (activity of its conversations), named once: every customer message publishes to it. */
  readonly agentsChannel: string;
  /** Members by visitor time zone ('' = not given). */
  readonly zones = new Map<string, ZoneGroup>();
  size = 0;
  widgetJson: string;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly feeds: AvailabilityFeeds,
    readonly installationId: string,
    public config: ProjectChatConfig,
  ) {
    this.id = `feed:${installationId}/${config.projectKey}`;
    this.channel = serviceChannels.projectCustomers(installationId, config.projectKey);
    this.agentsChannel = channels.projectAgents(installationId, config.projectKey);
    this.widgetJson = JSON.stringify(config.widget);
  }

  deliver(env: Envelope): void {
    if ((env.frame as { type?: string }).type === '$availability') void this.refresh(); // refresh() catches and logs
  }

  /** Re-read and push what changed; concurrent calls fold into one extra run. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.feeds.evaluate(this);
        } catch (err) {
          this.feeds.log.warn('customer.availability_failed', { err });
        }
      } while (this.again && this.size > 0);
    })().finally(() => (this.running = null));
    return this.running;
  }

  broadcast(members: Iterable<FeedMember>, frame: Buffer): void {
    let sent = 0;
    let hooks: ConnectionHooks | undefined;
    for (const m of members) {
      if (m.ws.readyState !== 1) continue;
      m.ws.send(frame, TEXT);
      sent++;
      hooks = m.kind.hooks;
    }
    // Every member of a service shares one hooks object: counted once per broadcast, not per socket.
    if (hooks) hooks.frameOut('customer', sent);
  }
}

export class AvailabilityFeeds {
  private readonly feeds = new Map<string, ProjectFeed>();

  constructor(
    private readonly hub: Hub,
    private readonly projects: Projects,
    private readonly availability: AvailabilityService,
    readonly log: Logger,
  ) {}

  /** Availability for a visitor about to join (the auth answer), evaluated like the feed does. */
  current(installationId: string, config: ProjectChatConfig, timeZone: string | undefined): Promise<Availability> {
    return this.availability.forProject(installationId, config, config.hoursZone === 'visitor' ? timeZone : undefined);
  }

  /** Adds an authenticated socket, told `told` already; returns its project's feed. */
  async join(member: FeedMember, installationId: string, config: ProjectChatConfig, told: Availability): Promise<ProjectFeed> {
    const key = `${installationId}/${config.projectKey}`;
    let feed = this.feeds.get(key);
    if (!feed) {
      feed = new ProjectFeed(this, installationId, config);
      this.feeds.set(key, feed);
      await this.hub.join(feed.channel, feed).catch((err) => {
        if (this.feeds.get(key) === feed && feed!.size === 0) this.feeds.delete(key);
        throw err;
      });
    }
    const tz = member.timeZone ?? '';
    let group = feed.zones.get(tz);
    const json = JSON.stringify(told);
    if (!group) feed.zones.set(tz, (group = { members: new Set(), last: json }));
    group.members.add(member);
    feed.size++;
    // Told something else than its neighbours (a change landed meanwhile): settle it for all.
    if (group.last !== json) void feed.refresh();
    return feed;
  }

  leave(member: FeedMember, feed: ProjectFeed): void {
    const tz = member.timeZone ?? '';
    const group = feed.zones.get(tz);
    if (!group?.members.delete(member)) return;
    feed.size--;
    if (group.members.size === 0) feed.zones.delete(tz);
    if (feed.size > 0) return;
    const key = `${feed.installationId}/${feed.config.projectKey}`;
    if (this.feeds.get(key) === feed) this.feeds.delete(key);
    void this.hub.leave(feed.channel, feed);
  }

  /** The schedule ticker: every project with visitors here, once each. */
  tick(): void {
    for (const feed of this.feeds.values()) void feed.refresh();
  }

  /** One evaluation of a project: config read once, availability once per zone in use, one buffer per distinct answer. */
  async evaluate(feed: ProjectFeed): Promise<void> {
    const fresh = await this.projects.get(feed.installationId, feed.config.projectKey);
    if (fresh) feed.config = fresh;
    const widgetJson = JSON.stringify(feed.config.widget);
    if (widgetJson !== feed.widgetJson) {
      // Settings saved: push the widget's look too, so colours apply without a reload.
      feed.widgetJson = widgetJson;
      const frame = Buffer.from(`{"type":"config","config":${widgetJson}}`);
      for (const g of feed.zones.values()) feed.broadcast(g.members, frame);
    }
    const perZone = feed.config.hoursZone === 'visitor';
    let shared: string | null = null;
    const frames = new Map<string, Buffer>();
    for (const [tz, group] of feed.zones) {
      const json: string = perZone || shared === null ? JSON.stringify(await this.current(feed.installationId, feed.config, tz || undefined)) : shared;
      if (!perZone) shared = json;
      if (json === group.last) continue;
      group.last = json;
      let frame = frames.get(json);
      if (!frame) frames.set(json, (frame = Buffer.from(`{"type":"availability","availability":${json}}`)));
      feed.broadcast(group.members, frame);
    }
  }
}
