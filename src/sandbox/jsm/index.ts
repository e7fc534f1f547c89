/** JSM stand-in: a local imitation of Jira Cloud REST v3 and JSM's servicedeskapi. */
export { startJsmStandin, DEFAULTS as JSM_STANDIN_DEFAULTS } from './server.js';
export { PRINCIPAL_HEADER } from './auth.js';
export { APP_ACCOUNT_ID } from './seed.js';
export type {
  AccountType,
  ChangelogItem,
  EventComment,
  EventIssue,
  EventUser,
  HostPrincipal,
  JsmStandin,
  JsmStandinOptions,
  ProductEvent,
  ProductEventPayload,
  ProductEventType,
  SeedUser,
} from './types.js';
