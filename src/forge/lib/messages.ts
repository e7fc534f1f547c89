/**
 * Jira comment <-> ChatMessage. Pure functions: everything the mapping needs is passed in.
 *
 * Customer messages are comments the app wrote as itself, marked with the comment
 * property `chat.message {source:'customer', customerAccountId}`; they are shown as the
 * customer. Comments not meant for customers (internal notes, role- or group-restricted
 * comments) never become chat messages: comment-audience.ts decides.
 */
import { z } from 'zod';
import { adfToText, textToAdf, type AdfDoc } from '../../protocol/adf.js';
import { MESSAGE_PROPERTY, MessageProperty } from '../../protocol/jira-properties.js';
import { isForCustomers } from './comment-audience.js';
import { AttachmentRef, type ChatMessage } from '../../protocol/model.js';
import { MAX_MESSAGE_CHARS } from '../../protocol/limits.js';

/** What the app stores on its comments: the shared shape plus the attachment's metadata (never content). */
export const StoredMessageProperty = MessageProperty.extend({ attachment: AttachmentRef.optional() });
export type StoredMessageProperty = z.infer<typeof StoredMessageProperty>;

export interface JiraUser {
  accountId?: string;
  displayName?: string;
  emailAddress?: string;
  avatarUrls?: Record<string, string>;
  accountType?: string;
}

export interface JiraComment {
  id: string;
  author?: JiraUser;
  body?: unknown;
  created: string;
  updated?: string;
  jsdPublic?: boolean;
  /** Platform role/group restriction; absent or null = unrestricted. */
  visibility?: { type?: string; value?: string; identifier?: string | null } | null;
  properties?: { key: string; value: unknown }[];
}

export interface Party {
  accountId: string;
  name: string;
  avatarUrl?: string;
}

function property(c: JiraComment, key: string): unknown {
  return c.properties?.find((p) => p.key === key)?.value;
}

export function messagePropertyOf(c: JiraComment): StoredMessageProperty | undefined {
  const parsed = StoredMessageProperty.safeParse(property(c, MESSAGE_PROPERTY));
  return parsed.success ? parsed.data : undefined;
}

export function hasMessageProperty(c: JiraComment): boolean {
  return property(c, MESSAGE_PROPERTY) !== undefined;
}

export function avatarOf(u: JiraUser | undefined): string | undefined {
  const url = u?.avatarUrls?.['48x48'] ?? u?.avatarUrls?.['32x32'];
  return url && /^https?:\/\//.test(url) ? url : undefined;
}

/** Jira times look like "2026-11-29T01:02:03.000+0000"; the wire wants RFC 3339 with a colon offset. */
export function isoTime(jiraTime: string): string {
  const d = new Date(jiraTime.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

const ATTACHMENT_MARK = '📎 ';

/** The comment text of an attachment message: caption, then name, size and link (never the file itself). */
export function attachmentText(caption: string, a: { name: string; size: number; url?: string }): string {
  const line = `${ATTACHMENT_MARK}${a.name} (${formatBytes(a.size)})${a.url ? ` ${a.url}` : ''}`;
  return caption.trim() ? `${caption.trim()}\n\n${line}` : line;
}

/**
 * The caption of an attachment comment: the text without the line attachmentText()
 * added. The UIs show the attachment itself from `attachment`; keeping the line in
 * `text` would show the file twice.
 */
export function captionOf(commentText: string): string {
  if (commentText.startsWith(ATTACHMENT_MARK)) return '';
  const at = commentText.lastIndexOf(`\n\n${ATTACHMENT_MARK}`);
  return at >= 0 ? commentText.slice(0, at) : commentText;
}

export function commentBody(text: string): AdfDoc {
  return textToAdf(text);
}

/**
 * A comment as a chat message, or undefined when it is not for customers (comment-audience.ts).
 * `customer` names the conversation's customer, so their messages show their name.
 */
export function commentToMessage(c: JiraComment, conversationId: string, customer: Party | undefined): ChatMessage | undefined {
  if (!isForCustomers(c)) return undefined;
  const prop = messagePropertyOf(c);
  const fullText = adfToText(c.body).slice(0, MAX_MESSAGE_CHARS * 2);
  const text = prop?.attachment ? captionOf(fullText) : fullText;
  const at = isoTime(c.created);
  const base = {
    id: String(c.id),
    conversationId,
    text,
    at,
    ...(prop?.clientMsgId ? { clientMsgId: prop.clientMsgId } : {}),
    ...(prop?.attachment ? { attachment: prop.attachment } : {}),
  };
  // A customer may also write from the JSM portal: their own comment, without our property.
  const byCustomer = prop?.source === 'customer' || (!prop && !!customer && c.author?.accountId === customer.accountId);
  if (byCustomer) {
    const accountId = prop?.customerAccountId ?? customer?.accountId;
    const name = customer && (!prop?.customerAccountId || prop.customerAccountId === customer.accountId) ? customer.name : 'Customer';
    return { ...base, author: { kind: 'customer', name, ...(accountId ? { accountId } : {}) } };
  }
  if (prop?.source === 'system') return { ...base, author: { kind: 'system', name: 'System' } };
  const avatarUrl = avatarOf(c.author);
  return {
    ...base,
    author: {
      kind: 'agent',
      name: c.author?.displayName ?? 'Agent',
      ...(c.author?.accountId ? { accountId: c.author.accountId } : {}),
      ...(avatarUrl ? { avatarUrl } : {}),
    },
  };
}
