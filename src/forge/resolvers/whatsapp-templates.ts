/**
 * WhatsApp message templates in the issue panel (issue 15). After Meta's 24-hour window
 * closes, free text is refused (the agent gets an internal note instead); an approved
 * template still reaches the customer. The agent picks one, fills its parameters, and the
 * filled text is kept as the agent's comment on the request, like any reply.
 */
import type Resolver from '@forge/resolver';
import { fillTemplate } from '../../protocol/whatsapp-templates.js';
import { MESSAGE_PROPERTY } from '../../protocol/jira-properties.js';
import { whatsappFrom } from '../lib/conversation.js';
import { AppError, notFound } from '../lib/errors.js';
import { getChatIssue } from '../lib/issues.js';
import { commentToMessage, type StoredMessageProperty } from '../lib/messages.js';
import { assertAgentOnIssue } from '../lib/permissions.js';
import { postComment } from '../lib/post-comment.js';
import { remote } from '../lib/remote.js';
import { define } from './define.js';

const REFUSED: Record<string, string> = {
  params_mismatch: 'WhatsApp refused the template: the parameters do not match its placeholders',
  no_template: 'WhatsApp has no approved template of that name and language',
  not_configured: 'WhatsApp is not configured for this site',
  rejected: 'WhatsApp refused the template',
  unavailable: 'WhatsApp cannot be reached; try again in a moment',
};

async function whatsappContact(issueKey: string): Promise<string> {
  await assertAgentOnIssue(issueKey);
  const issue = await getChatIssue('user', issueKey);
  const wa = whatsappFrom(issue?.properties);
  if (!wa) throw notFound(`${issueKey} is not a WhatsApp conversation`);
  return wa.waId;
}

export function registerWhatsAppTemplates(r: Resolver): void {
  define(r, 'whatsapp.templates', async ({ issueKey }) => {
    await whatsappContact(issueKey);
    return remote('whatsapp.templates', {});
  });

  define(r, 'chat.sendTemplate', async ({ issueKey, clientMsgId, name, language, parameters }) => {
    const waId = await whatsappContact(issueKey);
    const template = (await remote('whatsapp.templates', {})).templates.find((t) => t.name === name && t.language === language);
    if (!template) throw new AppError('invalid', REFUSED.no_template!);
    const res = await remote('whatsapp.send-template', { conversationId: issueKey, waId, name, language, parameters });
    if (!res.sent) throw new AppError('invalid', REFUSED[res.code ?? 'rejected'] ?? REFUSED.rejected!);
    // Sent: Jira keeps what the customer read. The message property keeps the comment trigger from relaying it again.
    const prop: StoredMessageProperty = { source: 'agent-panel', clientMsgId };
    const created = await postComment('user', issueKey, fillTemplate(template.body, parameters), prop, 'public');
    const message = commentToMessage({ ...created, properties: [{ key: MESSAGE_PROPERTY, value: prop }] }, issueKey, undefined);
    if (!message) throw new AppError('internal', 'the template comment is not public');
    return { message };
  });
}
