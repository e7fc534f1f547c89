/** Installation links: the webtrigger URL and shared secret of each site (secret encrypted at rest). */
import type { Json, KeyValueStore } from './store/ports.js';
import { keys } from './store/keys.js';
import type { Crypto } from './crypto.js';

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
  get(installationId: string): Promise<Link | null>;
  put(installationId: string, link: Link): Promise<void>;
}

export function createLinkStore(kv: KeyValueStore, crypto: Crypto): LinkStore {
  return {
    async get(installationId) {
      const s = await kv.get<StoredLink & { [k: string]: Json }>(keys.link(installationId));
      if (!s) return null;
      return { webtriggerUrl: s.webtriggerUrl, secret: crypto.decrypt(s.sealedSecret), linkedAt: s.linkedAt, appVersion: s.appVersion, appId: s.appId, site: s.site ?? null };
    },
    async put(installationId, link) {
      const stored: StoredLink = { webtriggerUrl: link.webtriggerUrl, sealedSecret: crypto.encrypt(link.secret), linkedAt: link.linkedAt, appVersion: link.appVersion, appId: link.appId, site: link.site ?? null };
      await kv.set(keys.link(installationId), { ...stored });
    },
  };
}
