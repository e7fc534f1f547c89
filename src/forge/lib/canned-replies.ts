/**
 * Where a project's canned replies live: one Forge storage (kvs) value per project.
 * They are the team's own texts, not conversation data, and stay with the app: the
 * presence service never sees them.
 */
import { kvs } from '@forge/kvs';
import { CannedReplies, type CannedReply } from '../../protocol/canned.js';

const keyOf = (projectKey: string) => `canned-replies:${projectKey}`;

export async function readCannedReplies(projectKey: string): Promise<CannedReply[]> {
  const parsed = CannedReplies.safeParse(await kvs.get(keyOf(projectKey)));
  // A value that no longer fits the schema (an older shape) reads as no replies rather than breaking the panel.
  return parsed.success ? parsed.data : [];
}

export async function writeCannedReplies(projectKey: string, replies: CannedReply[]): Promise<void> {
  if (replies.length) await kvs.set(keyOf(projectKey), replies);
  else await kvs.delete(keyOf(projectKey));
}
