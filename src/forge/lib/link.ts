/**
 * The installation link with the presence service. The service issues a shared secret
 * in answer to the Forge Remote `link` call (FIT-authenticated); the app keeps it in
 * Forge secret storage and verifies every webtrigger call with it. On a relink the
 * previous secret stays valid for PREVIOUS_SECRET_GRACE_MS so calls signed a moment
 * before the rotation still pass.
 */
import { webTrigger } from '@forge/api';
import { kvs } from '@forge/kvs';
import { remote } from './remote.js';

export const LINK_SECRET_KEY = 'presence.link';
export const PRESENCE_URL_KEY = 'presence.url';
export const INBOUND_WEBTRIGGER = 'inbound';
export const APP_VERSION = '0.1.0';
const PREVIOUS_SECRET_GRACE_MS = 5 * 60_000;

export interface LinkSecret {
  secret: string;
  linkedAt: string;
  previous?: { secret: string; until: number };
}

export async function linkSecrets(nowMs = Date.now()): Promise<string[]> {
  const s = await kvs.getSecret<LinkSecret>(LINK_SECRET_KEY);
  if (!s?.secret) return [];
  return s.previous && s.previous.until > nowMs ? [s.secret, s.previous.secret] : [s.secret];
}

export async function link(nowMs = Date.now()): Promise<{ linkedAt: string }> {
  const webtriggerUrl = await webTrigger.getUrl(INBOUND_WEBTRIGGER);
  const res = await remote('link', { webtriggerUrl, appVersion: APP_VERSION });
  const old = await kvs.getSecret<LinkSecret>(LINK_SECRET_KEY);
  const next: LinkSecret = { secret: res.secret, linkedAt: res.linkedAt };
  if (old?.secret && old.secret !== res.secret) next.previous = { secret: old.secret, until: nowMs + PREVIOUS_SECRET_GRACE_MS };
  await kvs.setSecret(LINK_SECRET_KEY, next);
  if (res.publicUrl) await kvs.set(PRESENCE_URL_KEY, res.publicUrl);
  return { linkedAt: res.linkedAt };
}

export async function isLinked(): Promise<boolean> {
  return (await linkSecrets()).length > 0;
}

/** The service's public base URL (for the embed snippet), learnt at link time or from `status`; null if unknown. */
export async function presenceUrl(): Promise<string | null> {
  const known = await kvs.get<string>(PRESENCE_URL_KEY);
  if (known) return known;
  try {
    const s = await remote('status', {});
    if (s.publicUrl) {
      await kvs.set(PRESENCE_URL_KEY, s.publicUrl);
      return s.publicUrl;
    }
  } catch {
    // Unreachable service: the settings page shows no snippet rather than failing.
  }
  return null;
}

export function embedSnippet(baseUrl: string, widgetId: string): string {
  return `<script async src="${baseUrl.replace(/\/+$/, '')}/widget.js" data-widget-id="${widgetId}"></script>`;
}
