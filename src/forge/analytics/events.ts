/**
 * The analytics event model: what happened, when, and to which pseudonymous ids.
 * Never content: no text, name, email, phone, Jira account id, issue key or project key.
 * Only enums, counts, durations and keyed hashes (pseudonym.ts). The schema is strict,
 * so a field that is not listed here cannot slip into an event.
 */
import { z } from 'zod';

export const EVENT_NAMES = [
  'chat_started',
  'offline_message',
  'chat_message',
  'first_response',
  'chat_missed',
  'chat_closed',
  'chat_rated',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** A keyed hash, hex (pseudonym.ts). */
const Pseudonym = z.string().regex(/^[0-9a-f]{32}$/, 'a pseudonymous id (32 hex characters)');

export const AnalyticsEvent = z
  .object({
    /** Unique per event and stable across retries: BigQuery's insertId, so a retried batch is not counted twice. */
    id: z.string().regex(/^[0-9a-f]{32}$/),
    name: z.enum(EVENT_NAMES),
    /** Epoch ms when it happened. */
    at: z.number().int().positive(),
    /** The conversation's customer: GA4 client_id. */
    visitor: Pseudonym,
    conversation: Pseudonym,
    project: Pseudonym,
    channel: z.enum(['web', 'whatsapp']),
    agent: Pseudonym.optional(),
    sender: z.enum(['customer', 'agent']).optional(),
    attachment: z.boolean().optional(),
    /** first_response: wait; chat_missed: wait so far; chat_closed: duration. Whole seconds. */
    seconds: z.number().int().min(0).max(366 * 86400).optional(),
    rating: z.number().int().min(1).max(5).optional(),
  })
  .strict();
export type AnalyticsEvent = z.infer<typeof AnalyticsEvent>;
