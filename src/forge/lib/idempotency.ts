/**
 * Idempotency records in Forge storage. They hold ids and times only, never message
 * text (the data policy: text lives in Jira alone).
 *
 * `msg:<clientMsgId>`: a message the app already wrote. A repeated call returns the
 * first answer and writes nothing. A conversation start first records `pending` with the
 * created issue, so a retry after a half-finished start resumes instead of opening a
 * second request.
 *
 * Every record names WHO made the first request (`caller`: the presence service's key for
 * the visitor or WhatsApp sender, `agent:<accountId>` for an agent) and, for customers,
 * the conversation's owner (`customerAccountId`). Message ids are random but not secret
 * (they sit in comment properties, frames and the widget's storage), so a record answers
 * only its own caller, or the same Jira customer; anyone else is refused and nothing
 * changes. Without this, a replayed id handed over another customer's conversation.
 */
import { kvs } from '@forge/kvs';
import { safeEqual } from '../../protocol/signature.js';
import { AppError, forbidden } from './errors.js';

/** Who asks: `caller` always; `accountId` when the caller is a known Jira customer. */
export interface Who {
  caller: string;
  accountId?: string | undefined;
}

export interface MessageRecord {
  state: 'done';
  /** Absent only on records written before callers were bound (those answer the owner alone). */
  caller?: string;
  issueKey: string;
  issueId?: string;
  commentId: string;
  customerAccountId?: string;
  at: string;
  /** A WhatsApp start that joined the customer's open conversation. */
  appended?: boolean;
}
export interface PendingStart {
  state: 'pending';
  caller?: string;
  /**
   * When the invocation finishing this start last took it (ms). While that is recent and not
   * `released`, the start is still being written: a retry must wait (busy), not resume
   * alongside it, or both post the first comment. Absent on records of older versions.
   */
  at?: number;
  /** The writer failed and gave the start back: a retry resumes it at once. */
  released?: boolean;
  issueKey: string;
  issueId: string;
  customerAccountId: string;
  /** The issue existed already (a WhatsApp message joining an open conversation): its properties stay. */
  appended?: boolean;
}
/** Someone is writing this message right now (set atomically with FAIL_IF_EXISTS). */
export interface Claimed {
  state: 'claimed';
  caller?: string;
  at: number;
  /**
   * The writer failed and gave the claim back. It may have failed after Jira took the
   * comment (an answer lost on the way back), so whoever takes the claim over looks for
   * the comment before posting one.
   */
  released?: boolean;
}
export type MsgRecord = MessageRecord | PendingStart | Claimed;

/** A claim older than this belongs to an invocation that died (Forge functions run at most ~25 s). */
const CLAIM_STALE_MS = 60_000;

/** Long enough to cover every client retry and event redelivery; short enough to stay small. */
const MSG_TTL = { value: 30, unit: 'DAYS' } as const;
const RELAY_TTL = { value: 7, unit: 'DAYS' } as const;

const msgKey = (clientMsgId: string): string => `msg:${clientMsgId}`;

export async function recallMessage(clientMsgId: string): Promise<MsgRecord | undefined> {
  return kvs.get<MsgRecord>(msgKey(clientMsgId));
}

export async function rememberMessage(clientMsgId: string, record: MsgRecord): Promise<void> {
  await kvs.set(msgKey(clientMsgId), record, { ttl: MSG_TTL });
}

const relayKey = (commentId: string, updated: string): string => `relayed:${commentId}:${updated.replace(/[^0-9A-Za-z]/g, '')}`;

/** Whether this version of a comment was already relayed (an event retry or redelivery). */
export async function wasRelayed(commentId: string, updated: string): Promise<boolean> {
  return (await kvs.get(relayKey(commentId, updated))) !== undefined;
}

export async function markRelayed(commentId: string, updated: string): Promise<void> {
  await kvs.set(relayKey(commentId, updated), 1, { ttl: RELAY_TTL });
}

/** The message id is someone else's: the one answer anyone else ever gets. */
export const NOT_YOURS = 'this message id belongs to another conversation';

/**
 * Whether `who` made the request `record` remembers: the same caller key, or the same
 * Jira customer (their own conversation, which they may read anyway). Constant-time.
 */
export function sameCaller(record: { caller?: string; customerAccountId?: string }, who: Who): boolean {
  if (record.caller !== undefined && safeEqual(record.caller, who.caller)) return true;
  return who.accountId !== undefined && record.customerAccountId !== undefined && safeEqual(record.customerAccountId, who.accountId);
}

async function tryClaim(clientMsgId: string, who: Who, nowMs: number): Promise<boolean> {
  try {
    await kvs.set(msgKey(clientMsgId), { state: 'claimed', caller: who.caller, at: nowMs } satisfies Claimed, { ttl: MSG_TTL, keyPolicy: 'FAIL_IF_EXISTS' });
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'KEY_ALREADY_EXISTS') return false;
    throw e;
  }
}

/**
 * `recheck` (and every `pending`, which is always a resumed start): an earlier attempt may
 * already have written the comment (its writer failed or died mid-way), so the writer looks
 * it up by message id (findPostedMessage) before posting.
 */
export type Begin = { kind: 'done'; record: MessageRecord } | { kind: 'pending'; record: PendingStart } | { kind: 'fresh'; recheck: boolean };

/**
 * Starts writing message `clientMsgId` exactly once for `who`. Answers the earlier
 * outcome when there is one and it is `who`'s; refuses (403) when it is anyone else's;
 * otherwise claims the id atomically, so two concurrent deliveries of the same message
 * cannot both write: the second is told to retry (`busy`) and then gets the first one's
 * answer.
 */
export async function beginMessage(clientMsgId: string, who: Who, nowMs = Date.now()): Promise<Begin> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const seen = await recallMessage(clientMsgId);
    if (seen?.state === 'done') {
      if (!sameCaller(seen, who)) throw forbidden(NOT_YOURS);
      return { kind: 'done', record: seen };
    }
    if (seen?.state === 'pending') {
      if (!sameCaller(seen, who)) throw forbidden(NOT_YOURS);
      if (!mayResume(seen, nowMs)) break;
      // Taken over: stamped, so a third delivery waits for this one in turn.
      const taken: PendingStart = { ...seen, at: nowMs, released: false };
      await rememberMessage(clientMsgId, taken);
      return { kind: 'pending', record: taken };
    }
    if (seen?.state === 'claimed') {
      // A claim of someone else's is never taken over, not even a stale one: their retry must still find it.
      if (seen.caller !== undefined && !safeEqual(seen.caller, who.caller)) throw forbidden(NOT_YOURS);
      if (seen.released !== true && nowMs - seen.at < CLAIM_STALE_MS) break;
      await kvs.set(msgKey(clientMsgId), { state: 'claimed', caller: who.caller, at: nowMs } satisfies Claimed, { ttl: MSG_TTL });
      return { kind: 'fresh', recheck: true };
    }
    if (await tryClaim(clientMsgId, who, nowMs)) return { kind: 'fresh', recheck: false };
  }
  throw new AppError('busy', 'this message is being written by another request; retry shortly');
}

/**
 * A half-finished start is resumed only when nobody is finishing it: its writer gave it back
 * (`released`), or went quiet long enough to be dead (an invocation lasts at most ~25 s).
 */
export function mayResume(pending: PendingStart, nowMs: number): boolean {
  return pending.at === undefined || pending.released === true || nowMs - pending.at >= CLAIM_STALE_MS;
}

/**
 * Gives `who`'s claim back after a failed write, so a retry can take it over at once. The
 * record stays, marked released: a failure can come after Jira wrote the comment (Jira's
 * answer lost, a timeout), and a retry that started over blindly would post it twice.
 */
export async function releaseClaim(clientMsgId: string, who: Who): Promise<void> {
  const seen = await recallMessage(clientMsgId);
  const mine = seen !== undefined && (seen.caller === undefined || safeEqual(seen.caller, who.caller));
  if (!mine || seen.state === 'done') return;
  await rememberMessage(clientMsgId, { ...seen, released: true });
}
