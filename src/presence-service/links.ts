/** Installation links: the webtrigger URL and shared secret of each site (secret encrypted at rest). */
import type { KeyValueStore } from './store/ports.js';
import { keys } from './store/keys.js';
import type { Crypto } from './crypto.js';

export interface Link {
  webtriggerUrl: string;
  secret: string;
  linkedAt: string;
  appVersion: string | null;
  appId: string | null;
}

interface StoredLink {
  webtriggerUrl: string;
  sealedSecret: string;
  linkedAt: string;
  appVersion: string | null;
  appId: string | null;
}

export interface LinkStore {
  get(installationId: string): Promise<Link | null>;
  put(installationId: string, link: Link): Promise<void>;
}

export function createLinkStore(kv: KeyValueStore, crypto: Crypto): LinkStore {
  return {
    async get(installationId) {
      const s = await kv.get<StoredLink & Record<string, string | null>>(keys.link(installationId));
      if (!s) return null;
      return { webtriggerUrl: s.webtriggerUrl, secret: crypto.decrypt(s.sealedSecret), linkedAt: s.linkedAt, appVersion: s.appVersion, appId: s.appId };
    },
    async put(installationId, link) {
      const stored: StoredLink = { webtriggerUrl: link.webtriggerUrl, sealedSecret: crypto.encrypt(link.secret), linkedAt: link.linkedAt, appVersion: link.appVersion, appId: link.appId };
      await kv.set(keys.link(installationId), { ...stored });
    },
  };
}
