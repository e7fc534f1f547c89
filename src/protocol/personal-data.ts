/**
 * Personal data reporting between the app and the presence service. The service stores
 * Jira account ids (customers' identity map, agents' presence and schedules), so the app
 * reports them to Atlassian on a schedule and tells the service what to erase or refresh.
 * @see https://developer.atlassian.com/platform/forge/user-privacy-guidelines/
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/privacy-api/
 */
import { z } from 'zod';
import { AccountId, IsoTime } from './ids.js';

/** Accounts per `personal-data.accounts` page: five of Atlassian's 90-account report batches. */
export const PERSONAL_DATA_PAGE_SIZE = 450;
/** Atlassian's Personal data reporting API takes at most 90 accounts per request. */
export const PERSONAL_DATA_REPORT_BATCH = 90;
/** Accounts per `personal-data.apply` call (one page's worth). */
export const PERSONAL_DATA_APPLY_MAX = PERSONAL_DATA_PAGE_SIZE;

/** One account the service holds, with the time it last stored or refreshed data about it. */
export const PersonalDataAccount = z.object({ accountId: AccountId, updatedAt: IsoTime });
export type PersonalDataAccount = z.infer<typeof PersonalDataAccount>;

export const PersonalDataCalls = {
  /** A page of the account ids the service holds for the calling site, in accountId order. */
  'personal-data.accounts': {
    /** cursor: the last accountId of the previous page (absent = from the start). */
    req: z.object({ cursor: AccountId.optional() }),
    /** next: pass as `cursor` for the following page; null when this was the last one. */
    res: z.object({ accounts: z.array(PersonalDataAccount).max(PERSONAL_DATA_PAGE_SIZE), next: AccountId.nullable() }),
  },
  /** Atlassian's answer: `closed` accounts are erased, `updated` ones have cached details dropped. */
  'personal-data.apply': {
    req: z.object({
      closed: z.array(AccountId).max(PERSONAL_DATA_APPLY_MAX).default([]),
      updated: z.array(AccountId).max(PERSONAL_DATA_APPLY_MAX).default([]),
    }),
    /** erased: closed accounts of which something was found and deleted; refreshed: likewise for updated. */
    res: z.object({ erased: z.number().int().nonnegative(), refreshed: z.number().int().nonnegative() }),
  },
} satisfies Record<string, { req: z.ZodTypeAny; res: z.ZodTypeAny }>;
