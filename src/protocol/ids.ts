import { z } from 'zod';

/** The bare patterns, for hot paths that check without zod (the presence service's store keys). */
export const PROJECT_KEY_PATTERN = /^[A-Z][A-Z0-9_]{1,9}$/;
export const INSTALLATION_ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
export const WIDGET_ID_PATTERN = /^w_[A-Za-z0-9]{10,40}$/;
export const CONVERSATION_ID_PATTERN = /^[A-Z][A-Z0-9_]{1,9}-[1-9][0-9]{0,9}$/;
export const CLIENT_MSG_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** Jira project key, e.g. "SUP". */
export const ProjectKey = z.string().regex(PROJECT_KEY_PATTERN, 'a Jira project key such as "SUP"');
/** A conversation is a JSM request: its id is the issue key, e.g. "SUP-12". */
export const ConversationId = z.string().regex(CONVERSATION_ID_PATTERN, 'an issue key such as "SUP-12"');
/** Client-generated idempotency key for a message (UUID or similar, 8..64 safe chars). */
export const ClientMsgId = z.string().regex(CLIENT_MSG_ID_PATTERN, '8 to 64 characters of [A-Za-z0-9_-]');
/** Atlassian accountId (opaque). */
export const AccountId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9:_-]+$/, 'an Atlassian accountId');
/** Atlassian installationId (a UUID on real sites; any safe id in the sandbox). */
export const InstallationId = z.string().regex(INSTALLATION_ID_PATTERN, 'a installationId');
/** Public id of a project's widget, safe to put in a script tag. */
export const WidgetId = z.string().regex(WIDGET_ID_PATTERN, 'a widget id such as "w_3kX9..."');
export const IsoTime = z.string().datetime({ offset: true });

export function projectKeyOf(conversationId: string): string {
  return conversationId.slice(0, conversationId.lastIndexOf('-'));
}
