/**
 * The global admin page. Everything here needs the Jira ADMINISTER permission.
 * WhatsApp credentials pass straight through to the presence service (stored there,
 * encrypted); the app never keeps them, not even in Forge storage.
 */
import type Resolver from '@forge/resolver';
import { forbidden } from '../lib/errors.js';
import { isLinked, link, presenceUrl } from '../lib/link.js';
import { CUSTOMER_PERMISSION_HINT } from '../lib/customers.js';
import { appIsJiraAdmin, assertJiraAdmin, isJiraAdmin } from '../lib/permissions.js';
import { remote, remoteOr, RemoteCallError } from '../lib/remote.js';
import { serviceDesks } from './common.js';
import { define } from './define.js';
import { readSettings, setEnabled } from '../analytics/settings.js';

const MAX_OVERVIEW_PROJECTS = 50;

export function registerAdmin(r: Resolver): void {
  define(r, 'admin.load', async () => {
    if (!(await isJiraAdmin())) {
      return {
        isAdmin: false,
        presenceUrl: '',
        connection: { ok: false, message: 'Only Jira administrators can see this page.', version: null, linked: false },
        analytics: false,
        whatsapp: { configured: false, projectKey: null, phoneNumberId: null, webhookUrl: null },
        projects: [],
      };
    }
    const [status, linked, url, whatsapp, desks, appAdmin] = await Promise.all([
      remote('status', {}).catch((e: unknown) => (e instanceof Error ? e : new Error('unreachable'))),
      isLinked(),
      presenceUrl(),
      remoteOr('whatsapp.get', {}, null),
      serviceDesks(),
      appIsJiraAdmin().catch(() => true),
    ]);
    const projects = await Promise.all(
      desks.slice(0, MAX_OVERVIEW_PROJECTS).map(async (d) => {
        const [cfg, presence] = await Promise.all([
          remoteOr('project-config.get', { projectKey: d.projectKey }, { config: null }),
          remoteOr('presence.get', { projectKey: d.projectKey }, null),
        ]);
        return {
          key: d.projectKey,
          name: d.projectName,
          chatEnabled: cfg.config?.enabled ?? false,
          agentsOnline: presence?.agents.filter((a) => a.status === 'online').length ?? 0,
        };
      }),
    );
    const ok = !(status instanceof Error);
    return {
      isAdmin: true,
      presenceUrl: url ?? '',
      connection: ok
        ? {
            ok: true,
            message: status.linked && linked ? 'Connected' : 'Reachable, but this site is not linked: relink',
            version: status.version,
            linked: status.linked && linked,
          }
        : { ok: false, message: status.message, version: null, linked },
      // On only when both agree: the app's switch (what it sends) and the service's (the widget, and its ANALYTICS default).
      analytics: ok ? status.analytics && (await readSettings()).enabled : false,
      whatsapp: whatsapp
        ? { configured: whatsapp.configured, projectKey: whatsapp.projectKey, phoneNumberId: whatsapp.phoneNumberId, webhookUrl: whatsapp.webhookUrl }
        : { configured: false, projectKey: null, phoneNumberId: null, webhookUrl: null },
      projects,
      warnings: appAdmin ? [] : [CUSTOMER_PERMISSION_HINT],
    };
  });

  define(r, 'admin.relink', async () => {
    await assertJiraAdmin();
    try {
      const { linkedAt } = await link();
      return { ok: true, message: `Linked at ${linkedAt}` };
    } catch (e) {
      if (e instanceof RemoteCallError) return { ok: false, message: e.message };
      throw e;
    }
  });

  define(r, 'admin.saveSettings', async ({ analytics }) => {
    await assertJiraAdmin();
    // The app's own switch first: it is what stops events (analytics/settings.ts). Then the service's copy, for the widget.
    await setEnabled(analytics);
    return remote('settings.put', { analytics });
  });

  define(r, 'admin.saveWhatsApp', async (req) => {
    await assertJiraAdmin();
    const res = await remote('whatsapp.put', req);
    if (!res.configured) throw forbidden('the presence service refused the credentials');
    return res;
  });
}
