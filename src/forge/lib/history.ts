/**
 * A conversation's messages, newest last, paged backwards.
 *
 * The cursor `before` is a message (comment) id: Jira comment ids grow with creation
 * time, so "older than the oldest message I have" is `id < before`. Pages are read from
 * the end of the comment list; internal notes are dropped after reading, so a page can
 * hold fewer than `limit` messages. The scan is bounded (MAX_SCAN_PAGES) so a huge
 * issue cannot make one call run for long.
 */
import { route } from '@forge/api';
import type { ChatMessage } from '../../protocol/model.js';
import { withProperties } from './comment-list.js';
import { jira, type Actor } from './jira.js';
import { commentToMessage, type JiraComment, type Party } from './messages.js';

const PAGE = 100;
const MAX_SCAN_PAGES = 10;

type CommentPage = { startAt: number; maxResults: number; total: number; comments: JiraComment[] };

/** A page of comments, then their properties in one comment/list call (see comment-list.ts). */
async function page(as: Actor, issueKey: string, startAt: number, maxResults: number): Promise<CommentPage> {
  const p = await jira<CommentPage>(as, route`/rest/api/3/issue/${issueKey}/comment?startAt=${startAt}&maxResults=${maxResults}&orderBy=created`);
  return { ...p, comments: await withProperties(as, p.comments ?? []) };
}

async function total(as: Actor, issueKey: string): Promise<number> {
  return (await jira<CommentPage>(as, route`/rest/api/3/issue/${issueKey}/comment?startAt=${0}&maxResults=${1}&orderBy=created`)).total;
}

export async function loadHistory(opts: {
  as: Actor;
  issueKey: string;
  customer: Party | undefined;
  before?: string | undefined;
  limit: number;
}): Promise<{ messages: ChatMessage[]; hasMore: boolean }> {
  const before = opts.before && /^\d+$/.test(opts.before) ? Number(opts.before) : Infinity;
  let end = await total(opts.as, opts.issueKey);
  const found: ChatMessage[] = [];
  let scanned = 0;
  while (end > 0 && found.length <= opts.limit && scanned < MAX_SCAN_PAGES) {
    const start = Math.max(0, end - PAGE);
    const p = await page(opts.as, opts.issueKey, start, end - start);
    scanned++;
    const older: ChatMessage[] = [];
    for (const c of p.comments) {
      if (!(Number(c.id) < before)) continue;
      const m = commentToMessage(c, opts.issueKey, opts.customer);
      if (m) older.push(m);
    }
    found.unshift(...older);
    end = start;
  }
  const hasMore = found.length > opts.limit || (end > 0 && scanned >= MAX_SCAN_PAGES);
  return { messages: found.slice(-opts.limit), hasMore };
}
