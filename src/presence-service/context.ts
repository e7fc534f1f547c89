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
import type { VisitorTokens } from './auth/visitor-token.js';
import type { AttachmentsPort } from './attachments-port.js';
import type { Assigner } from './assignment/assigner.js';

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
  visitors: VisitorTokens;
  attachments: AttachmentsPort | null;
  /** Automatic assignment of new chats (issue 15). */
  assigner: Assigner;
}
