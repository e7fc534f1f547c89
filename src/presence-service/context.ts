/** Everything a session or endpoint needs, built once by server.ts. */
import type { Config } from './config.js';
import type { Store } from './store/ports.js';
import type { Logger } from './log.js';
import type { Crypto } from './crypto.js';
import type { AppClient } from './app-client.js';
import type { LinkStore } from './links.js';
import type { Projects } from './projects.js';
import type { ServiceLimits } from './limits.js';
import type { Hub } from './relay/hub.js';
import type { AgentPresenceService } from './presence/agents.js';
import type { CustomerPresenceService } from './presence/customers.js';
import type { AvailabilityService } from './presence/availability.js';
import type { AvailabilityFeeds } from './presence/availability-feed.js';
import type { VisitorTokens } from './auth/visitor-token.js';
import type { AttachmentsPort } from './attachments-port.js';
import type { LocalCounts } from './ws/local-counts.js';
import type { Assigner } from './assignment/assigner.js';
import type { UsageCounter } from './usage/counter.js';

export interface Ctx {
  config: Config;
  limits: Readonly<ServiceLimits>;
  store: Store;
  log: Logger;
  clock: () => number;
  crypto: Crypto;
  app: AppClient;
  links: LinkStore;
  projects: Projects;
  hub: Hub;
  agents: AgentPresenceService;
  customers: CustomerPresenceService;
  availability: AvailabilityService;
  /** Availability and widget-look pushes, once per project (not per socket). */
  feeds: AvailabilityFeeds;
  visitors: VisitorTokens;
  attachments: AttachmentsPort | null;
  /** Open sockets per visitor token on this instance (SOCKETS_PER_VISITOR). */
  visitorSockets: LocalCounts;
  /** Automatic assignment of new chats (issue 15). */
  assigner: Assigner;
  /** Widget views counted for the app's analytics, only while a site's analytics is on. */
  usage: UsageCounter;
}
