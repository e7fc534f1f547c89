/**
 * WhatsApp specifics of the app. A phone number is one JSM customer
 * (`wa-<waId>@whatsapp.invalid`, see customers.ts), and while that number has an open
 * WhatsApp request in the project, each new WhatsApp message joins it instead of opening
 * another request: WhatsApp is one endless thread, a request is one case.
 *
 * Which request is the number's thread is kept in Forge storage, not found by JQL:
 * /rest/api/3/search/jql is eventually consistent ("a just-created issue may be missing
 * from results for some time"), so two messages arriving close together would both miss
 * the new request and open two. Instead, opening a request needs an atomic claim
 * (`FAIL_IF_EXISTS`) keyed by project, number and the request it follows; the loser
 * waits for the winner's pointer and joins that request. Reads of the pointed-to issue
 * go by key, which is consistent.
 * @see https://developer.atlassian.com/cloud/jira/platform/search-and-reconcile/
 */
import { kvs } from '@forge/kvs';
import { conversationFrom, whatsappFrom } from './conversation.js';
import { AppError } from './errors.js';
import { getChatIssue } from './issues.js';

/** The number's latest request in a project. */
export interface WhatsAppThread {
  issueKey: string;
  issueId: string;
  customerAccountId: string;
}

/** A claim older than this belongs to an invocation that died (Forge functions run at most ~25 s). */
const CLAIM_STALE_MS = 60_000;
/** How long a message that lost the race waits for the winner's request, polling storage. */
const JOIN_WAIT_MS = 8_000;
const JOIN_POLL_MS = 200;
/** Pointers outlive any realistic pause between two messages of one case. */
const THREAD_TTL = { value: 365, unit: 'DAYS' } as const;
const CLAIM_TTL = { value: 1, unit: 'DAYS' } as const;

const threadKey = (projectKey: string, waId: string) => `wa-thread:${projectKey}:${waId}`;
const claimKey = (projectKey: string, waId: string, after: string) => `wa-open:${projectKey}:${waId}:${after}`;

export type ThreadDecision =
  { kind: 'join'; thread: WhatsAppThread } | { kind: 'create'; created(thread: WhatsAppThread): Promise<void>; release(): Promise<void> };

/**
 * Whether the pointed-to request still takes messages: it does until its conversation is
 * closed or Jira resolved it. A request so new that its properties are not written yet
 * takes them too (its creator is writing them right now).
 */
async function stillOpen(t: WhatsAppThread, waId: string): Promise<boolean> {
  const issue = await getChatIssue('app', t.issueKey);
  if (!issue) return false;
  if (issue.fields.status?.statusCategory?.key === 'done') return false;
  const conv = conversationFrom(issue.properties);
  if (conv && (conv.status !== 'open' || conv.channel !== 'whatsapp')) return false;
  const wa = whatsappFrom(issue.properties);
  return !wa || wa.waId === waId;
}

async function tryClaim(key: string, nowMs: number): Promise<boolean> {
  try {
    await kvs.set(key, { at: nowMs }, { ttl: CLAIM_TTL, keyPolicy: 'FAIL_IF_EXISTS' });
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'KEY_ALREADY_EXISTS') return false;
    throw e;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The number's latest request in a project, open or not (its customer is the number's account). */
export async function whatsappThread(projectKey: string, waId: string): Promise<WhatsAppThread | undefined> {
  return kvs.get<WhatsAppThread>(threadKey(projectKey, waId));
}

/** Join the number's open request, or win the right to open the next one. */
export async function joinOrClaimThread(projectKey: string, waId: string, nowMs = Date.now()): Promise<ThreadDecision> {
  const tKey = threadKey(projectKey, waId);
  const current = await kvs.get<WhatsAppThread>(tKey);
  if (current && (await stillOpen(current, waId))) return { kind: 'join', thread: current };
  const cKey = claimKey(projectKey, waId, current?.issueKey ?? 'none');
  let won = await tryClaim(cKey, nowMs);
  if (!won) {
    const claim = await kvs.get<{ at: number }>(cKey);
    if (claim && nowMs - claim.at > CLAIM_STALE_MS) {
      await kvs.set(cKey, { at: nowMs }, { ttl: CLAIM_TTL });
      won = true;
    }
  }
  if (won) {
    return {
      kind: 'create',
      created: (thread) => kvs.set(tKey, thread, { ttl: THREAD_TTL }),
      release: () => kvs.delete(cKey),
    };
  }
  // Another message of this number is opening the request right now: join it once it exists.
  for (let waited = 0; waited < JOIN_WAIT_MS; waited += JOIN_POLL_MS) {
    await sleep(JOIN_POLL_MS);
    const next = await kvs.get<WhatsAppThread>(tKey);
    if (next && next.issueKey !== current?.issueKey) return { kind: 'join', thread: next };
    if (!(await kvs.get(cKey))) break;
  }
  throw new AppError('busy', 'another message of this WhatsApp number is opening its request; retry shortly');
}
