/**
 * WhatsApp message templates (issue 15): the approved ones of the site's Business Account,
 * and sending one with its parameters. The app calls these from the agent's issue panel when
 * the 24-hour window is closed; the parameters pass through memory to Meta, nothing is stored.
 */
import { ServiceError } from '../errors.js';
import { loadWhatsAppSite } from '../whatsapp/credentials.js';
import { GraphError } from '../whatsapp/graph.js';
import { graphFor } from '../whatsapp/outbound.js';
import type { RemoteHandlers } from './types.js';

export const whatsappTemplateHandlers: RemoteHandlers<'whatsapp.templates' | 'whatsapp.send-template'> = {
  async 'whatsapp.templates'(ctx, caller) {
    const site = await loadWhatsAppSite(ctx, caller.installationId);
    if (!site) throw new ServiceError('not_found', 'WhatsApp is not configured for this site');
    if (!site.wabaId) throw new ServiceError('not_found', 'the WhatsApp Business Account id is not configured (admin page)');
    try {
      return { templates: await graphFor(ctx.config.whatsappGraphUrl).listTemplates(site, site.wabaId) };
    } catch (err) {
      const code = err instanceof GraphError ? err.code : 'unavailable';
      ctx.log.warn('whatsapp.templates_failed', { installationId: caller.installationId, code });
      throw new ServiceError('unavailable', 'the template list could not be fetched from WhatsApp');
    }
  },

  async 'whatsapp.send-template'(ctx, caller, body) {
    const site = await loadWhatsAppSite(ctx, caller.installationId);
    if (!site) return { sent: false, code: 'not_configured' };
    try {
      await graphFor(ctx.config.whatsappGraphUrl).sendTemplate(site, body.waId, body);
      ctx.log.info('whatsapp.template_sent', { installationId: caller.installationId, conversationId: body.conversationId });
      return { sent: true };
    } catch (err) {
      const code = err instanceof GraphError ? err.code : 'unavailable';
      ctx.log.warn('whatsapp.template_failed', {
        installationId: caller.installationId,
        conversationId: body.conversationId,
        code,
        metaCode: err instanceof GraphError ? err.metaCode : undefined,
      });
      return { sent: false, code: code === 'params_mismatch' || code === 'no_template' || code === 'unavailable' ? code : 'rejected' };
    }
  },
};
