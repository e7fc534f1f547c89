/**
 * The `chat.conversation` (and `chat.whatsapp`) issue properties: what makes an issue a
 * chat request. Read as the app after the caller's permission was checked.
 */
import { route } from '@forge/api';
import { CONVERSATION_PROPERTY, ConversationProperty, WHATSAPP_PROPERTY, WhatsAppProperty } from '../../protocol/jira-properties.js';
import { jira, jiraOptional } from './jira.js';
import { noteRecentChange } from './recent-changes.js';
import type { z } from 'zod';

type PropertyAnswer = { key: string; value: unknown };

export async function readConversation(issueKey: string): Promise<ConversationProperty | undefined> {
  const p = await jiraOptional<PropertyAnswer>('app', route`/rest/api/3/issue/${issueKey}/properties/${CONVERSATION_PROPERTY}`);
  const parsed = ConversationProperty.safeParse(p?.value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * `issue` (when the caller knows its id and project): the write is noted for search
 * reconciliation (recent-changes.ts), so the dashboard sees it before search does.
 */
export async function writeConversation(issueKey: string, value: ConversationProperty, issue?: { id: string; projectKey: string }): Promise<void> {
  await jira('app', route`/rest/api/3/issue/${issueKey}/properties/${CONVERSATION_PROPERTY}`, { method: 'PUT', body: value });
  if (issue) await noteRecentChange(issue.projectKey, issue.id);
}

export async function writeWhatsApp(issueKey: string, value: z.infer<typeof WhatsAppProperty>): Promise<void> {
  await jira('app', route`/rest/api/3/issue/${issueKey}/properties/${WHATSAPP_PROPERTY}`, { method: 'PUT', body: value });
}

/** Parses the properties Jira returns with `?properties=` on an issue or search result. */
export function conversationFrom(properties: Record<string, unknown> | undefined): ConversationProperty | undefined {
  const parsed = ConversationProperty.safeParse(properties?.[CONVERSATION_PROPERTY]);
  return parsed.success ? parsed.data : undefined;
}

export function whatsappFrom(properties: Record<string, unknown> | undefined): z.infer<typeof WhatsAppProperty> | undefined {
  const parsed = WhatsAppProperty.safeParse(properties?.[WHATSAPP_PROPERTY]);
  return parsed.success ? parsed.data : undefined;
}
