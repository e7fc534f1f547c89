/**
 * The one message merge of the widget and the agents' issue panel. Messages reach a list
 * from several places (history pages, the send's answer, the socket) and may overlap: a
 * known id or clientMsgId updates in place, so a duplicate delivery or a replayed page never
 * shows a message twice. Placed messages are ordered by time, ties by Jira comment id
 * (numeric ids numerically); the rest (still sending) stay last in the order they came.
 * Imports nothing, so the widget bundles only this.
 */
export interface Mergeable {
  id?: string | undefined;
  clientMsgId?: string | undefined;
  at: string;
}

/** Jira comment ids are numeric strings: compared numerically when both are. */
export function compareIds(a = '', b = ''): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `combine` makes the updated copy of a known message (default: the incoming one);
 * `placed` says which messages have their place in time (default: those with an id).
 * Returns `list` itself when nothing comes in, so an unchanged list stays the same object.
 */
export function mergeMessages<T extends Mergeable>(
  list: readonly T[],
  incoming: readonly T[],
  combine: (old: T, m: T) => T = (_, m) => m,
  placed: (m: T) => boolean = (m) => !!m.id,
): T[] {
  if (!incoming.length) return list as T[];
  const out = list.slice();
  for (const m of incoming) {
    const i = out.findIndex((o) => (!!o.id && o.id === m.id) || (!!o.clientMsgId && o.clientMsgId === m.clientMsgId));
    if (i < 0) out.push(m);
    else out[i] = combine(out[i]!, m);
  }
  // Array sort is stable: equal times without comparable ids keep their order.
  return out
    .filter(placed)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || compareIds(a.id, b.id))
    .concat(out.filter((m) => !placed(m)));
}
