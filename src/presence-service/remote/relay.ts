/** Agent messages and conversation state from Jira to the live sockets, on every instance. */
import { channels } from '../store/keys.js';
import { ServiceError } from '../errors.js';
import type { RemoteHandlers } from './types.js';
import { sendToWhatsApp } from '../whatsapp/outbound.js';

export const relayHandlers: RemoteHandlers<'relay' | 'conversation-activity' | 'attachment-url'> = {
  async relay(ctx, caller, body) {
    const { message } = body;
    await ctx.hub.publish(channels.conversation(caller.installationId, message.conversationId), { to: 'all', frame: { type: 'message', message } });
    const delivered = await ctx.customers.socketCount(caller.installationId, message.conversationId);
    // A WhatsApp conversation: the app named the contact (it lives only in Jira); send it there too.
    if (body.whatsapp && message.author.kind === 'agent')
      return { delivered, whatsapp: await sendToWhatsApp(ctx, caller.installationId, body.whatsapp.waId, message) };
    return { delivered };
  },
  async 'conversation-activity'(ctx, caller, body) {
    const { activity, status } = body;
    await ctx.hub.publish(channels.projectAgents(caller.installationId, activity.projectKey), {
      to: 'agent',
      frame: { type: 'conversation.activity', activity },
    });
    // A closed chat frees its agent's slot; the next waiting chat may go to them.
    if (activity.kind === 'closed')
      await ctx.assigner
        .chatClosed(caller.installationId, activity.projectKey, activity.conversationId)
        .catch((err) => ctx.log.warn('assignment.release_failed', { installationId: caller.installationId, err }));
    // Taken by hand: it no longer waits, and the slot held for another agent frees up.
    if (activity.kind === 'assigned' && activity.assigneeAccountId)
      await ctx.assigner
        .chatTaken(caller.installationId, activity.projectKey, activity.conversationId, activity.assigneeAccountId)
        .catch((err) => ctx.log.warn('assignment.release_failed', { installationId: caller.installationId, err }));
    if (status) {
      await ctx.hub.publish(channels.conversation(caller.installationId, activity.conversationId), {
        to: 'customer',
        frame: { type: 'conversation.updated', conversation: { id: activity.conversationId, status, updated: activity.at } },
      });
    }
    return { ok: true };
  },
  async 'attachment-url'(ctx, caller, body) {
    if (!ctx.attachments) throw new ServiceError('not_found', 'attachments are not enabled');
    const r = await ctx.attachments.downloadUrl(caller.installationId, body.conversationId, body.attachmentId);
    if (!r || 'expired' in r) throw new ServiceError('not_found', r ? 'the attachment has expired' : 'no such attachment');
    return r;
  },
};
