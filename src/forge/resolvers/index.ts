/** All resolvers on one Resolver (manifest: function resolver-fn). */
import Resolver from '@forge/resolver';
import { registerAdmin } from './admin.js';
import { registerAnalytics } from './analytics.js';
import { registerReports } from './reports.js';
import { registerCannedReplies } from './canned-replies.js';
import { registerWhatsAppTemplates } from './whatsapp-templates.js';
import { registerChat } from './chat.js';
import { registerDashboard } from './dashboard.js';
import { registerPanel } from './panel.js';
import { registerPresence } from './presence.js';
import { registerProjectSettings } from './project-settings.js';

const r = new Resolver();
registerPanel(r);
registerChat(r);
registerPresence(r);
registerDashboard(r);
registerProjectSettings(r);
registerAdmin(r);
registerAnalytics(r);
registerReports(r);
registerCannedReplies(r);
registerWhatsAppTemplates(r);

export const resolver = r.getDefinitions();
