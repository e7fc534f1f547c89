/**
 * Data kept by the JSM stand-in, and the public types others import.
 * Records hold only what Jira itself would know; JSON shapes are built in render.ts.
 */
import type { AdfDoc } from '../../protocol/adf.js';
import type { EntityPropertyDeclaration } from './entity-index.js';
import type { RateLimitOptions } from './rate-limit.js';

export type AccountType = 'atlassian' | 'app' | 'customer';

export interface UserRecord {
  accountId: string;
  displayName: string;
  emailAddress: string;
  accountType: AccountType;
  active: boolean;
  /** Jira administrators (global ADMINISTER). */
  siteAdmin: boolean;
  timeZone: string;
}

/** A seeded user as handed to tests and the Forge host (every API token is "sandbox"). */
export interface SeedUser {
  accountId: string;
  displayName: string;
  emailAddress: string;
  accountType: AccountType;
  apiToken: string;
  /** Keys of projects where this user is a service desk agent. */
  agentOf: string[];
  /** Keys of projects this user administers. */
  adminOf: string[];
  siteAdmin: boolean;
}

export interface ProjectRecord {
  id: string;
  key: string;
  name: string;
  projectTypeKey: 'service_desk' | 'software' | 'business';
  serviceDeskId: string;
  leadAccountId: string;
  issueTypeId: string;
  admins: string[];
  agents: string[];
  customers: string[];
}

export interface RequestTypeRecord {
  id: string;
  serviceDeskId: string;
  name: string;
  description: string;
  issueTypeId: string;
}

export interface IssueRecord {
  id: string;
  key: string;
  projectId: string;
  summary: string;
  description: AdfDoc | null;
  statusId: string;
  assigneeId: string | null;
  reporterId: string;
  creatorId: string;
  requestTypeId: string | null;
  created: string;
  updated: string;
  statusChanged: string;
  resolutionDate: string | null;
  /** The resolution set by the resolving transition's screen (absent: Done). */
  resolutionId?: string | null;
  properties: Record<string, unknown>;
  /** The request's customer-satisfaction feedback (servicedeskapi `.../feedback`), at most one. */
  feedback?: { type: 'csat'; rating: number; comment?: { body: string } };
}

export interface CommentRecord {
  id: string;
  issueId: string;
  authorId: string;
  updateAuthorId: string;
  body: AdfDoc;
  created: string;
  updated: string;
  jsdPublic: boolean;
  properties: Record<string, unknown>;
  /** Role or group restriction (platform `visibility`); absent = everyone who may browse. */
  visibility?: CommentVisibility;
}

/** Platform REST `Visibility`: `identifier` is the group id or the role name. */
export interface CommentVisibility {
  type: 'group' | 'role';
  value: string;
  identifier: string;
}

export interface Db {
  version: 1;
  cloudId: string;
  counters: { issue: number; comment: number; changelog: number; issueNumber: Record<string, number> };
  users: UserRecord[];
  projects: ProjectRecord[];
  requestTypes: RequestTypeRecord[];
  issues: IssueRecord[];
  comments: CommentRecord[];
  /** Added with request attachments; absent in data files written before. */
  attachments?: AttachmentRecord[];
}

export interface AttachmentRecord {
  id: string;
  issueId: string;
  authorId: string;
  filename: string;
  mimeType: string;
  size: number;
  created: string;
  public: boolean;
  /** The bytes (the stand-in keeps small files in its JSON data file). */
  contentBase64: string;
}

/** Who makes a call: the app itself, or a user (never anonymous past auth). */
export type Principal = { type: 'app'; user: UserRecord } | { type: 'user'; user: UserRecord };

export type ProductEventType = 'avi:jira:commented:issue' | 'avi:jira:created:issue' | 'avi:jira:updated:issue' | 'avi:jira:deleted:comment';

/** A Jira product event, with the payload in the shape Forge hands to trigger handlers. */
export interface ProductEvent {
  eventType: ProductEventType;
  payload: ProductEventPayload;
}

export interface EventUser {
  accountId: string;
}

export interface EventIssue {
  id: string;
  key: string;
  fields: {
    summary: string;
    issuetype: Record<string, unknown>;
    creator: EventUser;
    created: string;
    project: Record<string, unknown>;
    reporter: EventUser;
    assignee: EventUser | null;
    updated: string;
    status: Record<string, unknown>;
  };
}

export interface EventComment {
  id: string;
  author: EventUser;
  body: AdfDoc;
  updateAuthor: EventUser;
  created: string;
  updated: string;
  jsdPublic: boolean;
  visibility?: CommentVisibility;
}

export interface ChangelogItem {
  field: string;
  fieldtype: string;
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface ProductEventPayload {
  eventType: ProductEventType;
  atlassianId: string;
  issue: EventIssue;
  associatedUsers: EventUser[];
  comment?: EventComment;
  changelog?: { id: string; items: ChangelogItem[] };
}

export interface JsmStandinOptions {
  dataDir: string;
  port?: number;
  host?: string;
  cloudId?: string;
  siteName?: string;
  clock?: () => Date;
  /** How long a write stays invisible to /search/jql, in ms (env JSM_SEARCH_DELAY_MS; default 0). */
  searchDelayMs?: number;
  /** Injected 429s for the app runtime's calls (env JSM_RATE_LIMIT_EVERY, JSM_RATE_LIMIT_RETRY_AFTER_S; default off). */
  rateLimit?: RateLimitOptions;
  /** Whether the app's user holds Administer Jira (env JSM_APP_ADMINISTER=0 revokes; default true). */
  appAdminister?: boolean;
}

/** What an installed app declares that Jira itself acts on (today: entity-property indexes). */
export interface AppInstallation {
  entityProperties: EntityPropertyDeclaration[];
}

export type HostPrincipal = { type: 'app' } | { type: 'user'; accountId: string };

export interface JsmStandin {
  url: string;
  cloudId: string;
  appAccountId: string;
  users: SeedUser[];
  onEvent(listener: (e: ProductEvent) => void): () => void;
  /**
   * Headers for the Forge host's calls. `appRuntime`: the call is the app's own product
   * call (requestJira), which Jira rate-limits; the host's page rendering and tests are not.
   */
  hostAuthHeaders(p: HostPrincipal, o?: { appRuntime?: boolean }): Record<string, string>;
  /** The local Forge host installs the app: Jira learns its entity-property indexes. */
  installApp(app: AppInstallation): void;
  /** Grants or revokes the app user's Administer Jira global permission (an admin's choice). */
  setAppAdminister(on: boolean): void;
  /** Counters of the strict behaviours, so tests can show they were exercised. */
  stats(): { rateLimited: number };
  close(): Promise<void>;
}
