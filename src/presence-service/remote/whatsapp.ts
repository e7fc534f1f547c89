/** WhatsApp Business credentials: write-only, sealed with AES-256-GCM under SECRET_KEY. */
import { keys } from '../store/keys.js';
import type { RemoteHandlers } from './types.js';

interface StoredWhatsApp {
  projectKey: string;
  phoneNumberId: string;
  wabaId?: string;
  sealed: string;
}

export function whatsappWebhookUrl(publicUrl: string, installationId: string): string {
  return `${publicUrl}/whatsapp/${encodeURIComponent(installationId)}`;
}

export const whatsappHandlers: RemoteHandlers<'whatsapp.put' | 'whatsapp.get'> = {
  async 'whatsapp.put'(ctx, caller, body) {
    const sealed = ctx.crypto.encrypt(JSON.stringify({ accessToken: body.accessToken, appSecret: body.appSecret, verifyToken: body.verifyToken }));
    const stored: StoredWhatsApp = { projectKey: body.projectKey, phoneNumberId: body.phoneNumberId, ...(body.wabaId ? { wabaId: body.wabaId } : {}), sealed };
    await ctx.store.kv.set(keys.whatsapp(caller.installationId), { ...stored });
    return { configured: true, webhookUrl: whatsappWebhookUrl(ctx.config.publicUrl, caller.installationId) };
  },
  async 'whatsapp.get'(ctx, caller) {
    const s = await ctx.store.kv.get<{ projectKey: string; phoneNumberId: string; sealed: string }>(keys.whatsapp(caller.installationId));
    return {
      configured: s !== null,
      projectKey: s?.projectKey ?? null,
      phoneNumberId: s?.phoneNumberId ?? null,
      webhookUrl: whatsappWebhookUrl(ctx.config.publicUrl, caller.installationId),
    };
  },
};
