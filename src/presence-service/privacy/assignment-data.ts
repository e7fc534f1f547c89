/**
 * Account ids that automatic assignment (issue 15) keeps, for the personal data cycle:
 *   D assign-slot:<P>:<acc>:<n> → issueKey   (an agent's open auto-assigned chats)
 *   D assigned-to:<issueKey>    → {projectKey, accountId, slot}
 *   D project:<P>:config        → assignment.capacities[acc] (per-agent capacity)
 * A closed account loses all three: its slots and their records go, its capacity is removed.
 */
import { keys, tenantPrefix, unescapePart } from '../store/keys.js';
import { serviceKeys } from '../service-keys.js';
import type { Json, Store } from '../store/ports.js';

const SLOT_KEY = /^assign-slot:([^:]+):([^:]+):(\d+)$/;

type Capacities = Record<string, number>;
type ConfigWithCapacities = { assignment?: { capacities?: Capacities } };

export async function assignmentAccounts(store: Store, installationId: string, projects: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const s of await slots(store, installationId)) found.add(s.accountId);
  for (const p of projects) for (const acc of Object.keys((await config(store, installationId, p))?.assignment?.capacities ?? {})) found.add(acc);
  return [...found];
}

/** Erases what assignment holds about `closed` accounts; answers the ones it found. */
export async function eraseAssignmentAccounts(
  store: Store,
  installationId: string,
  projects: readonly string[],
  closed: ReadonlySet<string>,
): Promise<Set<string>> {
  const erased = new Set<string>();
  const { kv } = store;
  for (const s of await slots(store, installationId)) {
    if (!closed.has(s.accountId)) continue;
    const conversationId = await kv.get<string>(s.key);
    await kv.delete(s.key);
    if (typeof conversationId === 'string') await kv.delete(serviceKeys.assignedTo(installationId, conversationId));
    erased.add(s.accountId);
  }
  for (const p of projects) {
    const cfg = await config(store, installationId, p);
    const caps = cfg?.assignment?.capacities;
    if (!cfg || !caps || !Object.keys(caps).some((a) => closed.has(a))) continue;
    const kept = Object.fromEntries(Object.entries(caps).filter(([a]) => !closed.has(a)));
    for (const a of Object.keys(caps)) if (closed.has(a)) erased.add(a);
    await kv.set(keys.projectConfig(installationId, p), { ...cfg, assignment: { ...cfg.assignment, capacities: kept } } as unknown as Json);
  }
  return erased;
}

async function slots(store: Store, installationId: string): Promise<{ key: string; accountId: string }[]> {
  const prefix = tenantPrefix(installationId);
  const out: { key: string; accountId: string }[] = [];
  for (const key of await store.kv.keys(`${prefix}assign-slot:`)) {
    const m = SLOT_KEY.exec(key.slice(prefix.length));
    if (m?.[2]) out.push({ key, accountId: unescapePart(m[2]) });
  }
  return out;
}

async function config(store: Store, installationId: string, projectKey: string): Promise<ConfigWithCapacities | null> {
  const raw = await store.kv.get(keys.projectConfig(installationId, projectKey));
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as ConfigWithCapacities) : null;
}
