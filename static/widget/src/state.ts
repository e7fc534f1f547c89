import type { Availability, WidgetConfig } from '../../../src/protocol/model.js';
import type { Connection } from './connection.js';
import type { ViewMessage } from './messages.js';

export type OfflineForm = 'form' | 'sent';

/** Everything the UI draws; the leading tab broadcasts it to the others (tabs.ts). */
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

/** What the controller's parts (sending, typing, links, uploads) share: the state, the socket, and whether it is authenticated. */
export interface Core {
  readonly state: WidgetState;
  readonly conn: Connection;
  readonly authed: boolean;
  set(patch: Partial<WidgetState>): void;
  updateMessage(clientMsgId: string, patch: Partial<ViewMessage>): void;
}
