/** Project chat configuration from the app's project settings page. */
import { serviceChannels } from '../service-keys.js';
import type { RemoteHandlers } from './types.js';

export const configHandlers: RemoteHandlers<'project-config.get' | 'project-config.put' | 'project-config.rotate-secret'> = {
  async 'project-config.get'(ctx, caller, body) {
    return { config: await ctx.projects.get(caller.installationId, body.projectKey) };
  },
  async 'project-config.put'(ctx, caller, body) {
    const config = await ctx.projects.put(caller.installationId, body.config);
    // Hours or visibility may have changed what visitors should see.
    await ctx.hub.publish(serviceChannels.projectCustomers(caller.installationId, config.projectKey), { to: 'customer', frame: { type: '$availability' } });
    return { config };
  },
  async 'project-config.rotate-secret'(ctx, caller, body) {
    return { secret: await ctx.projects.rotateSecret(caller.installationId, body.projectKey) };
  },
};
