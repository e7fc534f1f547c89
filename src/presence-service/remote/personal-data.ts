/**
 * Personal data reporting calls. The app's scheduled trigger lists what the service holds
 * (`personal-data.accounts`), reports it to Atlassian, and passes the answer back
 * (`personal-data.apply`). The site is the FIT's, as in every remote handler.
 *
 * Only a backend invocation may make these calls: a FIT with a principal comes from a
 * user's Custom UI frame (`invokeRemote` from @forge/bridge), whose caller could name any
 * account to erase. Scheduled triggers run without a user (FIT without principal).
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/scheduled-trigger/
 */
import { PERSONAL_DATA_PAGE_SIZE } from '../../protocol/personal-data.js';
import { ServiceError } from '../errors.js';
import type { Ctx } from '../context.js';
import type { ForgeCaller } from '../auth/fit.js';
import { PersonalDataStore } from '../privacy/personal-data.js';
import type { RemoteHandlers } from './types.js';

function backendOnly(caller: ForgeCaller): void {
  if (caller.accountId) throw new ServiceError('forbidden', 'personal data calls are made by the app itself, not on behalf of a user');
}

function personalData(ctx: Ctx): PersonalDataStore {
  return new PersonalDataStore(ctx.store, ctx.clock, (installationId, projectKey) => ctx.agents.announce(installationId, projectKey));
}

export const personalDataHandlers: RemoteHandlers<'personal-data.accounts' | 'personal-data.apply'> = {
  async 'personal-data.accounts'(ctx, caller, body) {
    backendOnly(caller);
    const all = await personalData(ctx).accounts(caller.installationId);
    const from = body.cursor ? all.findIndex((a) => a.accountId > body.cursor!) : 0;
    const start = from === -1 ? all.length : from;
    const accounts = all.slice(start, start + PERSONAL_DATA_PAGE_SIZE);
    const more = start + accounts.length < all.length;
    return { accounts, next: more ? (accounts.at(-1)?.accountId ?? null) : null };
  },
  async 'personal-data.apply'(ctx, caller, body) {
    backendOnly(caller);
    const result = await personalData(ctx).apply(caller.installationId, body.closed, body.updated);
    // Counts only: account ids are personal data and stay out of the log.
    ctx.log.info('personal_data.applied', { installationId: caller.installationId, erased: result.erased, refreshed: result.refreshed });
    return result;
  },
};
