/**
 * Idempotency records in Forge storage. They hold ids and times only, never message
 * text (the data policy: text lives in Jira alone).
 *
 * `msg:<clientMsgId>`: a message the app already wrote. A repeated call returns the
 * first answer and writes nothing. A conversation start first records `pending` with the
 * created issue, so a retry after a half-finished start resumes instead of opening a
 * second request.
 */
import { kvs } from '@forge/kvs';

export interface MessageRecord {
  state: 'done';
  issueKey: string;
  issueId?: string;
  commentId: string;
  customerAccountId?: string;
  at: string;
}
export interface PendingStart {
  state: 'pending';
  issueKey: string;
  issueId: string;
  customerAccountId: string;
}
export type MsgRecord = MessageRecord | PendingStart;

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
