/**
 * One conversation across the tabs of a site (issue 15): the tab holding the Web Lock
 * `jsmchat:<widgetId>` is the leader and alone owns the socket and the outbox; the other
 * tabs relay the visitor's actions to it over a BroadcastChannel and draw the state it
 * broadcasts. A closed tab releases its lock, so the next tab in line leads at once and
 * resends the shared (localStorage) outbox with the same clientMsgIds, which the service
 * dedupes. Without Web Locks or BroadcastChannel every tab leads alone, as before.
 * @see https://developer.mozilla.org/en-US/docs/Web/API/Web_Locks_API
 */
export type TabMsg =
  /** A follower asks the leader to run a visitor action. */
  | { t: 'call'; id: string; m: string; a: unknown[] }
  /** The leader ran it: the follower forgets it. */
  | { t: 'done'; id: string }
  /** The leader's state, for every follower to draw. */
  | { t: 'state'; s: unknown }
  /** The leader got an agent message: each tab counts it unread (or marks it read) and tells its page. */
  | { t: 'got'; p: unknown }
  /** A tab arrived (asks for the state) or a new leader took over (asks for unfinished calls). */
  | { t: 'hi' }
  | { t: 'lead' };

export interface Tabs {
  post(msg: TabMsg): void;
}

/** Joins the election; `lead` runs once this tab becomes the leader. Null: every tab is its own leader. */
export function joinTabs(widgetId: string, onMsg: (msg: TabMsg) => void, lead: () => void): Tabs | null {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks || typeof BroadcastChannel !== 'function') return null;
  const name = `jsmchat:${widgetId}`;
  const bc = new BroadcastChannel(name);
  bc.onmessage = (e: MessageEvent) => e.data && typeof e.data.t === 'string' && onMsg(e.data as TabMsg);
  // The callback's promise never settles: the lock is held until the tab goes away.
  void locks.request(name, () => new Promise<void>(() => lead())).catch(() => lead());
  return { post: (msg) => bc.postMessage(msg) };
}
