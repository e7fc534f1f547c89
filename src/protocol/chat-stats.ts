/**
 * `chat.stats`: the numbers the chat reports are computed from, kept on each chat request
 * as an issue property (so reports read Jira, and nothing is stored outside it). Indexed
 * for JQL by the manifest's `chat-stats-index` (`started` as a date), so a report asks
 * Jira only for the chats of its period. Account ids here stay in Jira.
 */
import { z } from 'zod';
import { AccountId, IsoTime } from './ids.js';

export const STATS_PROPERTY = 'chat.stats';
/** JQL alias of `issue.property[chat.stats].started` (manifest jira:entityProperty). */
export const STATS_STARTED_ALIAS = 'chatStarted';

export const ChatStats = z.object({
  v: z.literal(1),
  started: IsoTime,
  channel: z.enum(['web', 'whatsapp']),
  offline: z.boolean(),
  /** The first agent answer: when, how long after the start, and who. */
  firstResponseAt: IsoTime.optional(),
  firstResponseSec: z.number().int().min(0).optional(),
  agent: AccountId.optional(),
  /** The first close, and the chat's length in seconds until then. */
  closedAt: IsoTime.optional(),
  durationSec: z.number().int().min(0).optional(),
  /** A `chat_missed` analytics event was sent for this chat (so it is sent once). */
  missedEvent: z.boolean().optional(),
  /** The customer's rating (1-5), when they gave one. */
  rating: z.number().int().min(1).max(5).optional(),
});
export type ChatStats = z.infer<typeof ChatStats>;
