/**
 * How a store key (store/keys.ts) becomes a Redis key name.
 *
 * `plain`: `<ns><key>`, the layout single-Redis deployments have always used.
 * `slotted`: `<ns>{<tag>}<key>`, for Redis Cluster. Redis hashes only the text between the
 * first `{` and `}`, so every key of one tenant (`tenant:<installationId>:...`, tag = the
 * installationId) lands in one hash slot: the member-set script and MULTIs, which touch a
 * sorted set and a hash together, stay single-slot, and a tenant's keys live on one shard
 * (one SCAN node per uninstall). Keys outside a tenant get a short hash of themselves as
 * tag, so the pair of keys behind one of their member sets still shares a slot.
 * Tags never contain `}`, so the logical key is everything after the first `}`.
 */
import { createHash } from 'node:crypto';

export type KeyLayoutName = 'plain' | 'slotted';

export interface KeyLayout {
  readonly name: KeyLayoutName;
  /** The Redis key for logical `key` under namespace `ns` (e.g. `jsmchat:d:`). */
  physical(ns: string, key: string): string;
  /** The logical key of a name found by SCAN, or null when it is not this layout's. */
  logical(ns: string, name: string): string | null;
  /** A SCAN MATCH pattern that finds at least every key starting with `prefix` (callers re-check). */
  match(ns: string, prefix: string): string;
}

const TENANT = /^tenant:([A-Za-z0-9-]{1,64}):/;
const GLOBAL_TAG_HEX = 8;

/** Redis glob metacharacters, escaped so a prefix matches only itself in SCAN MATCH. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** The hash tag (without braces) of a logical key. */
export function slotTag(key: string): string {
  const tenant = TENANT.exec(key);
  if (tenant) return tenant[1]!;
  return `g${createHash('sha1').update(key).digest('hex').slice(0, GLOBAL_TAG_HEX)}`;
}

export const plainLayout: KeyLayout = {
  name: 'plain',
  physical: (ns, key) => ns + key,
  logical: (ns, name) => (name.startsWith(ns) ? name.slice(ns.length) : null),
  match: (ns, prefix) => `${escapeGlob(ns + prefix)}*`,
};

export const slottedLayout: KeyLayout = {
  name: 'slotted',
  physical: (ns, key) => `${ns}{${slotTag(key)}}${key}`,
  logical(ns, name) {
    if (!name.startsWith(`${ns}{`)) return null;
    const close = name.indexOf('}', ns.length);
    return close < 0 ? null : name.slice(close + 1);
  },
  match(ns, prefix) {
    const tenant = TENANT.exec(prefix);
    // A tenant prefix pins the tag; anything else may sit under any tag.
    return tenant ? `${escapeGlob(`${ns}{${tenant[1]}}${prefix}`)}*` : `${escapeGlob(`${ns}{`)}*}${escapeGlob(prefix)}*`;
  },
};

export function keyLayout(name: KeyLayoutName): KeyLayout {
  return name === 'slotted' ? slottedLayout : plainLayout;
}
