/**
 * Canned replies (issue 15): per project, written in project settings, kept in the app's
 * Forge storage (never in the presence service), picked in the issue panel. Placeholders
 * are filled in the panel before the agent edits and sends the text.
 */
import { z } from 'zod';
import { MAX_MESSAGE_CHARS } from './limits.js';

/** A project's list stays one Forge storage value (well under its size limit) and one glance in the picker. */
export const MAX_CANNED_REPLIES = 100;
export const MAX_CANNED_TITLE_CHARS = 80;

export const CannedReply = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'an id of lowercase letters, digits and dashes'),
  title: z.string().trim().min(1, 'a title').max(MAX_CANNED_TITLE_CHARS),
  text: z.string().trim().min(1, 'a text').max(MAX_MESSAGE_CHARS),
});
export type CannedReply = z.infer<typeof CannedReply>;

export const CannedReplies = z
  .array(CannedReply)
  .max(MAX_CANNED_REPLIES)
  .refine((list) => new Set(list.map((r) => r.id)).size === list.length, 'every reply needs its own id');

/** The placeholders a reply may hold, and what fills them. */
export const PLACEHOLDERS = ['{customer.firstName}', '{agent.name}', '{request.key}'] as const;

export interface PlaceholderValues {
  customerName: string | null;
  agentName: string;
  requestKey: string;
}

/** The customer's first name: the first word of the name Jira holds (empty when unknown). */
export function firstName(name: string | null): string {
  return (name ?? '').trim().split(/\s+/)[0] ?? '';
}

/** Fills every known placeholder; anything else in braces stays as typed. */
export function fillPlaceholders(text: string, v: PlaceholderValues): string {
  const values: Record<(typeof PLACEHOLDERS)[number], string> = {
    '{customer.firstName}': firstName(v.customerName),
    '{agent.name}': v.agentName,
    '{request.key}': v.requestKey,
  };
  return text.replace(/\{(customer\.firstName|agent\.name|request\.key)\}/g, (m) => values[m as keyof typeof values]);
}

/** Replies whose title or text holds every word of the query (case-insensitive), titles first. */
export function searchCanned(list: readonly CannedReply[], query: string): CannedReply[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const hit = (s: string) => words.every((w) => s.toLowerCase().includes(w));
  const byTitle = list.filter((r) => hit(r.title));
  return byTitle.concat(list.filter((r) => !byTitle.includes(r) && hit(`${r.title} ${r.text}`)));
}
