/**
 * A site's WhatsApp credentials, as `whatsapp.put` stored them (remote/whatsapp.ts):
 * project and phone number id in clear, the three secrets sealed under SECRET_KEY.
 * Opened only in memory, for the request at hand.
 */
import { z } from 'zod';
import { keys } from '../store/keys.js';
import type { Crypto } from '../crypto.js';
import type { Store } from '../store/ports.js';

const Stored = z.object({ projectKey: z.string(), phoneNumberId: z.string(), wabaId: z.string().optional(), sealed: z.string() });
const Sealed = z.object({ accessToken: z.string(), appSecret: z.string(), verifyToken: z.string() });

export interface WhatsAppSite {
  installationId: string;
  projectKey: string;
  phoneNumberId: string;
  /** The WhatsApp Business Account (templates live there); absent for sites set up before issue 15. */
  wabaId: string | null;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
}

export async function loadWhatsAppSite(deps: { store: Store; crypto: Crypto }, installationId: string): Promise<WhatsAppSite | null> {
  const stored = Stored.safeParse(await deps.store.kv.get(keys.whatsapp(installationId)));
  if (!stored.success) return null;
  let secrets;
  try {
    secrets = Sealed.parse(JSON.parse(deps.crypto.decrypt(stored.data.sealed)));
  } catch {
    // Sealed under another SECRET_KEY (rotated) or damaged: as good as not configured.
    return null;
  }
  return { installationId, projectKey: stored.data.projectKey, phoneNumberId: stored.data.phoneNumberId, wabaId: stored.data.wabaId ?? null, ...secrets };
}
