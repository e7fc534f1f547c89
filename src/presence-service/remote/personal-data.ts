/**
 * Personal data reporting calls. The app's scheduled trigger lists what the service holds
 * (`personal-data.accounts`), reports it to Atlassian, and passes the answer back
 * (`personal-data.apply`). The site is the FIT's, as in every remote handler.
 *
 * Only a backend invocation may make these calls (a page could name any account to erase):
 * remote/index.ts refuses frontend tokens for every call but agent-ticket and presence.set.
 * Scheduled triggers run without a user (a backend FIT).
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/scheduled-trigger/
 */
import { PERSONAL_DATA_PAGE_SIZE } from '../../protocol/personal-data.js';
import type { Ctx } from '../context.js';
import { PersonalDataStore } from '../privacy/personal-data.js';
import type { RemoteHandlers } from './types.js';

function personalData(ctx: Ctx): PersonalDataStore {
  return new PersonalDataStore(ctx.store, ctx.clock, (installationId, projectKey) => ctx.agents.announce(installationId, projectKey));
}

export const personalDataHandlers: RemoteHandlers<'personal-data.accounts' | 'personal-data.apply'> = {
  async 'personal-data.accounts'(ctx, caller, body) {
    const all = await personalData(ctx).accounts(caller.installationId);
    const from = body.cursor ? all.findIndex((a) => a.accountId > body.cursor!) : 0;
    const start = from === -1 ? all.length : from;
    const accounts = all.slice(start, start + PERSONAL_DATA_PAGE_SIZE);
    const more = start + accounts.length < all.length;
    return { accounts, next: more ? (accounts.at(-1)?.accountId ?? null) : null };
  },
  async 'personal-data.apply'(ctx, caller, body) {
    const result = await personalData(ctx).apply(caller.installationId, body.closed, body.updated);
    // Counts only: account ids are personal data and stay out of the log.
    ctx.log.info('personal_data.applied', { installationId: caller.installationId, erased: result.erased, refreshed: result.refreshed });
    return result;
  },
};
