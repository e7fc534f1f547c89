/**
 * Installation links: the webtrigger URL and shared secret of each site (secret encrypted
 * at rest). Every app call needs the link, so the decrypted link is kept in memory until
 * it is relinked: put() on this instance replaces it at once; a relink on another instance
 * is noticed when the app refuses our signature, and the caller then asks for a fresh copy
 * (`get(id, { fresh: true })`). Absent links are not remembered, so a link made elsewhere
 * is seen on the next call.
 */
import type { Json, KeyValueStore } from './store/ports.js';
import { keys } from './store/keys.js';
import type { Crypto } from './crypto.js';

/** Sites whose decrypted link stays in memory; beyond this the oldest is dropped (re-read on use). */
export const LINK_CACHE_MAX = 10_000;

export interface Link {
  webtriggerUrl: string;
  secret: string;
  linkedAt: string;
  appVersion: string | null;
  appId: string | null;
  /** Where the installation lives (FIT `app.installation.contexts[0]`): site ARI and API base URL. */
  site?: { name: string; apiBaseUrl: string } | null;
}

interface StoredLink {
  webtriggerUrl: string;
  sealedSecret: string;
  linkedAt: string;
  appVersion: string | null;
  appId: string | null;
  site?: { name: string; apiBaseUrl: string } | null;
}

export interface LinkStore {
  /** The site's link; `fresh` skips the in-memory copy (after the app refused our signature). */
  get(installationId: string, opts?: { fresh?: boolean }): Promise<Link | null>;
  /** The in-memory copy, if there is one (no promise: every customer message asks). */
  cached(installationId: string): Readonly<Link> | undefined;
  put(installationId: string, link: Link): Promise<void>;
}

export function createLinkStore(kv: KeyValueStore, crypto: Crypto): LinkStore {
  const cache = new Map<string, Readonly<Link>>();
  const remember = (installationId: string, link: Readonly<Link>) => {
    cache.delete(installationId);
    if (cache.size >= LINK_CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(installationId, link);
  };
  return {
    async get(installationId, opts) {
      const cached = opts?.fresh ? undefined : cache.get(installationId);
      if (cached) return cached;
      const s = await kv.get<StoredLink & { [k: string]: Json }>(keys.link(installationId));
      if (!s) {
        cache.delete(installationId);
        return null;
      }
      const link = Object.freeze({
        webtriggerUrl: s.webtriggerUrl,
        secret: crypto.decrypt(s.sealedSecret),
        linkedAt: s.linkedAt,
        appVersion: s.appVersion,
        appId: s.appId,
        site: s.site ?? null,
      });
      remember(installationId, link);
      return link;
    },
    cached: (installationId) => cache.get(installationId),
    async put(installationId, link) {
      const stored: StoredLink = {
        webtriggerUrl: link.webtriggerUrl,
        sealedSecret: crypto.encrypt(link.secret),
        linkedAt: link.linkedAt,
        appVersion: link.appVersion,
        appId: link.appId,
        site: link.site ?? null,
      };
      await kv.set(keys.link(installationId), { ...stored });
      remember(installationId, Object.freeze({ ...link, site: link.site ?? null }));
    },
  };
}
