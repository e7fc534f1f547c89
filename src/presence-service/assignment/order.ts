/** Who is asked first for a new chat: pure, so both strategies are tested without a store. */
import type { AssignmentConfig } from '../../protocol/model.js';

export interface Candidate {
  accountId: string;
  capacity: number;
  /** Open auto-assigned chats now. */
  load: number;
}

/**
 * Candidates with room, in the order to try them. Round robin: by accountId, starting at
 * `turn` (a counter every new chat advances). Least busy: fewest open chats relative to
 * capacity first; ties broken by the same turn, so equally idle agents still take turns.
 */
export function assignmentOrder(mode: AssignmentConfig['mode'], candidates: readonly Candidate[], turn: number): Candidate[] {
  const free = candidates
    .filter((c) => c.capacity > 0 && c.load < c.capacity)
    .sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  if (!free.length || mode === 'off') return [];
  const start = ((turn % free.length) + free.length) % free.length;
  const rotated = free.slice(start).concat(free.slice(0, start));
  if (mode === 'round_robin') return rotated;
  return rotated
    .map((c, i) => ({ c, i }))
    .sort((x, y) => x.c.load / x.c.capacity - y.c.load / y.c.capacity || x.i - y.i)
    .map((x) => x.c);
}
