/**
 * An agent's public message to the customer through the presence service (Forge Remote
 * `relay`). For a WhatsApp conversation the app names the contact from `chat.whatsapp`
 * (the service keeps no phone numbers), and the service sends it there too. When WhatsApp
 * refuses — mostly because Meta's 24-hour window is closed — the agent gets an internal
 * note on the request saying so: internal notes never reach customers.
 */
import type { ChatMessage } from '../../protocol/model.js';
import type { RemoteResponse } from '../../protocol/remote.js';
import { conversationFrom, whatsappFrom } from './conversation.js';
import { getChatIssue, type ChatIssue } from './issues.js';
import type { StoredMessageProperty } from './messages.js';
import { postComment } from './post-comment.js';
import { remote } from './remote.js';

type WhatsAppOutcome = NonNullable<RemoteResponse<'relay'>['whatsapp']>;

export const OUTSIDE_WINDOW_NOTE =
  'This message was not delivered on WhatsApp: the 24-hour window for free replies is closed (the customer last wrote more than 24 hours ago). ' +
  'WhatsApp only allows approved template messages until the customer writes again.';

export function undeliveredNote(outcome: WhatsAppOutcome): string | null {
  if (outcome.sent) return null;
  switch (outcome.code) {
    case 'outside_window':
      return OUTSIDE_WINDOW_NOTE;
    case 'not_configured':
      return 'This message was not delivered on WhatsApp: WhatsApp is not configured for this site (see the Chat admin page).';
    case 'unavailable':
      return 'This message was not delivered on WhatsApp: the WhatsApp API could not be reached. Please send it again.';
    default:
      return 'This message was not delivered on WhatsApp: WhatsApp refused it.';
  }
}

/** An internal note written as the app, marked so the comment trigger ignores it. */
export async function addInternalNote(issueKey: string, text: string): Promise<void> {
  const prop: StoredMessageProperty = { source: 'system' };
  await postComment('app', issueKey, text, prop, 'internal');
}

/**
 * Relays (throws when the service fails, so event retries can try again) and notes a WhatsApp refusal.
 * `issue`: the chat issue with its properties, when the caller has just read it.
 */
export async function relayMessage(issueKey: string, message: ChatMessage, issue?: ChatIssue): Promise<RemoteResponse<'relay'>> {
  issue ??= await getChatIssue('app', issueKey);
  const conv = conversationFrom(issue?.properties);
  // only agents' messages go out on WhatsApp: a customer's own portal comment is already theirs
  const wa = conv?.channel === 'whatsapp' && message.author.kind === 'agent' ? whatsappFrom(issue?.properties) : undefined;
  const res = await remote('relay', { message, ...(wa ? { whatsapp: { waId: wa.waId } } : {}) });
  const note = res.whatsapp ? undeliveredNote(res.whatsapp) : null;
  if (note) await addInternalNote(issueKey, note);
  return res;
}

/** For callers whose message is in Jira already and must not fail on the relay (the agent panel). */
export async function relayQuietly(issueKey: string, message: ChatMessage): Promise<void> {
  try {
    await relayMessage(issueKey, message);
  } catch {
    // The customer's history shows the comment either way.
  }
}
