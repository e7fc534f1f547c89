/**
 * `usage`: the presence service's counts of widget views (widget loaded, chat opened) per
 * project since its last call. They become one `widget_loaded` and one `chat_opened` event
 * per project with `count` (analytics/index.ts trackCount). With analytics off, or no sink
 * configured, nothing is recorded: the counts are dropped here and `recorded: false` says so.
 */
import type { InboundCall, InboundResponseOf } from '../../protocol/webtrigger.js';
import { trackCount } from '../analytics/index.js';

type UsageCall = Extract<InboundCall, { type: 'usage' }>;

export async function recordUsage(call: UsageCall): Promise<InboundResponseOf<'usage'>> {
  let recorded = false;
  for (const c of call.counts) {
    if (c.loaded > 0) recorded = (await trackCount('widget_loaded', c.projectKey, c.loaded)) || recorded;
    if (c.opened > 0) recorded = (await trackCount('chat_opened', c.projectKey, c.opened)) || recorded;
  }
  return { recorded };
}
