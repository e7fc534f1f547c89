/**
 * WhatsApp specifics of the app. A phone number is one JSM customer
 * (`wa-<waId>@whatsapp.invalid`, see customers.ts), and while that customer has an open
 * WhatsApp request in the project, each new WhatsApp message joins it instead of opening
 * another request: WhatsApp is one endless thread, a request is one case.
 */
import type { ConversationProperty } from '../../protocol/jira-properties.js';
import { conversationFrom, whatsappFrom } from './conversation.js';
import { jqlString, searchChatIssues } from './issues.js';

/** A customer rarely has more than a couple of open requests; the newest few are enough. */
const MAX_OPEN_CANDIDATES = 20;

export interface OpenConversation {
  issueKey: string;
  issueId: string;
  conversation: ConversationProperty;
}

/** The customer's most recently updated open WhatsApp conversation for this number, if any. */
export async function findOpenWhatsAppConversation(projectKey: string, customerAccountId: string, waId: string): Promise<OpenConversation | undefined> {
  const jql = `project = ${jqlString(projectKey)} AND reporter = ${jqlString(customerAccountId)} AND statusCategory != Done ORDER BY updated DESC`;
  for (const issue of await searchChatIssues('app', jql, MAX_OPEN_CANDIDATES)) {
    const conv = conversationFrom(issue.properties);
    if (!conv || conv.channel !== 'whatsapp' || conv.status !== 'open' || conv.customerAccountId !== customerAccountId) continue;
    if (whatsappFrom(issue.properties)?.waId !== waId) continue;
    return { issueKey: issue.key, issueId: String(issue.id), conversation: conv };
  }
  return undefined;
}
