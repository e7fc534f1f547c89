/**
 * The analytics event model: what happened, when, and to which pseudonymous ids.
 * Never content: no text, name, email, phone, Jira account id, issue key or project key.
 * Only enums, counts, durations and keyed hashes (pseudonym.ts). The schema is strict,
 * so a field that is not listed here cannot slip into an event.
 */
import { z } from 'zod';
import { MAX_USAGE_COUNT } from '../../protocol/limits.js';

export const EVENT_NAMES = [
  'chat_started',
  'offline_message',
  'chat_message',
  'first_response',
  'chat_missed',
  'chat_closed',
  'chat_rated',
  'widget_loaded',
  'chat_opened',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/**
 * Counted in the visitor's browser by no code of ours: the presence service counts the
 * widget's `view` frames per project and the app records one event per project and
 * interval, with `count` (webtrigger `usage`). They have no visitor and no conversation.
 */
export const COUNT_EVENTS = ['widget_loaded', 'chat_opened'] as const satisfies readonly EventName[];
export type CountEventName = (typeof COUNT_EVENTS)[number];

/** A keyed hash, hex (pseudonym.ts). */
const Pseudonym = z.string().regex(/^[0-9a-f]{32}$/, 'a pseudonymous id (32 hex characters)');

export const AnalyticsEvent = z
  .object({
    /** Unique per event and stable across retries: BigQuery's insertId, so a retried batch is not counted twice. */
    id: z.string().regex(/^[0-9a-f]{32}$/),
    name: z.enum(EVENT_NAMES),
    /** Epoch ms when it happened. */
    at: z.number().int().positive(),
    /** The conversation's customer: GA4 client_id. Absent on the count events. */
    visitor: Pseudonym.optional(),
    /** Absent on the count events. */
    conversation: Pseudonym.optional(),
    project: Pseudonym,
    channel: z.enum(['web', 'whatsapp']),
    agent: Pseudonym.optional(),
    sender: z.enum(['customer', 'agent']).optional(),
    attachment: z.boolean().optional(),
    /** first_response: wait; chat_missed: wait so far; chat_closed: duration. Whole seconds. */
    seconds: z
      .number()
      .int()
      .min(0)
      .max(366 * 86400)
      .optional(),
    rating: z.number().int().min(1).max(5).optional(),
    /** widget_loaded / chat_opened: how many in the interval the presence service counted. */
    count: z.number().int().min(1).max(MAX_USAGE_COUNT).optional(),
  })
  .strict()
  .refine(
    (e) =>
      (COUNT_EVENTS as readonly string[]).includes(e.name)
        ? e.count !== undefined && !e.visitor && !e.conversation
        : e.count === undefined && !!e.visitor && !!e.conversation,
    {
      message: 'count events carry a count and no visitor or conversation; every other event the reverse',
    },
  );
export type AnalyticsEvent = z.infer<typeof AnalyticsEvent>;
