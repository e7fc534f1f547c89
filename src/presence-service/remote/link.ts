/** Installation link, connection status and site settings. */
import { randomToken } from '../crypto.js';
import type { RemoteHandlers } from './types.js';

/** 256-bit shared secret for webtrigger signatures, fresh on every link. */
export const LINK_SECRET_BYTES = 32;
export const SERVICE_VERSION = '0.1.0';

export const linkHandlers: RemoteHandlers<'link' | 'status' | 'settings.put'> = {
  async link(ctx, caller, body) {
    const secret = randomToken(LINK_SECRET_BYTES);
    const linkedAt = new Date(ctx.clock()).toISOString();
    await ctx.links.put(caller.installationId, {
      webtriggerUrl: body.webtriggerUrl,
      secret,
      linkedAt,
      appVersion: body.appVersion ?? null,
      appId: caller.appId,
      site: caller.contexts[0] ?? null,
    });
    ctx.log.info('site.linked', { installationId: caller.installationId, appVersion: body.appVersion });
    return { secret, linkedAt, publicUrl: ctx.config.publicUrl };
  },
  async status(ctx, caller) {
    const settings = await ctx.projects.settings(caller.installationId, { analytics: ctx.config.analytics });
    return {
      ok: true,
      version: SERVICE_VERSION,
      linked: (await ctx.links.get(caller.installationId, { fresh: true })) !== null,
      store: ctx.store.kind,
      blobs: ctx.config.blobStore,
      analytics: ctx.config.analytics && settings.analytics,
      publicUrl: ctx.config.publicUrl,
    };
  },
  async 'settings.put'(ctx, caller, body) {
    await ctx.projects.putSettings(caller.installationId, { analytics: body.analytics });
    return { analytics: body.analytics };
  },
};
