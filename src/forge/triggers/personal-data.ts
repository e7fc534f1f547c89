/**
 * Weekly personal data report (scheduledTrigger `personal-data-report`). The presence
 * service stores Jira account ids (customers' identity map, agents' presence and
 * schedules), so the app reports them to Atlassian and passes the answer back: `closed`
 * accounts are erased there, `updated` ones have cached details dropped.
 * - https://developer.atlassian.com/platform/forge/user-privacy-guidelines/ : apps storing
 *   personal data must report it; the default cycle period is 7 days, and reports should
 *   not be sent more often than that per account (hence `interval: week`).
 * - https://developer.atlassian.com/platform/forge/runtime-reference/privacy-api/ :
 *   `privacy.reportPersonalData(accounts)`; the helper splits into 90-account requests but
 *   sends them all at once, so this hands it one batch at a time (one request in flight).
 * Runs without a user (a backend FIT with no principal), which the service requires.
 */
import { privacy } from '@forge/api';
import { PERSONAL_DATA_REPORT_BATCH } from '../../protocol/personal-data.js';
import { remote } from '../lib/remote.js';

/**
 * An Atlassian accountId as the user privacy guide documents it: 1-128 characters,
 * alphanumeric, '-' and ':'. Anything else is not an Atlassian account, and one such id
 * would make Atlassian refuse its whole batch (400), so it is left out of the report.
 */
const ATLASSIAN_ACCOUNT_ID = /^[A-Za-z0-9:-]{1,128}$/;

/** Bound on pages per run (450 accounts each), so a cursor that never ends cannot loop. */
export const MAX_REPORT_PAGES = 200;

export interface ReportOutcome {
  reported: number;
  closed: number;
  updated: number;
}

export async function reportPersonalData(): Promise<ReportOutcome> {
  const out: ReportOutcome = { reported: 0, closed: 0, updated: 0 };
  let cursor: string | undefined;
  for (let page = 0; page < MAX_REPORT_PAGES; page++) {
    const page = await remote('personal-data.accounts', cursor ? { cursor } : {});
    const { next } = page;
    const accounts = page.accounts.filter((a) => ATLASSIAN_ACCOUNT_ID.test(a.accountId));
    const closed: string[] = [];
    const updated: string[] = [];
    for (let i = 0; i < accounts.length; i += PERSONAL_DATA_REPORT_BATCH) {
      const batch = accounts.slice(i, i + PERSONAL_DATA_REPORT_BATCH);
      const asked = new Set(batch.map((a) => a.accountId));
      for (const u of await privacy.reportPersonalData(batch)) {
        // Act only on accounts this batch named, and only on the two documented statuses.
        if (!asked.has(u.accountId)) continue;
        if (u.status === 'closed') closed.push(u.accountId);
        else if (u.status === 'updated') updated.push(u.accountId);
      }
      out.reported += batch.length;
    }
    if (closed.length > 0 || updated.length > 0) await remote('personal-data.apply', { closed, updated });
    out.closed += closed.length;
    out.updated += updated.length;
    if (!next) break;
    cursor = next;
  }
  return out;
}

/** The scheduledTrigger handler: answers `{statusCode}` as the platform expects. */
export async function onPersonalDataReport(): Promise<{ statusCode: number }> {
  try {
    await reportPersonalData();
    return { statusCode: 204 };
  } catch (e) {
    // Not retried by Forge; the next weekly run reports again. Error kind only: no account ids.
    const status = e instanceof Response ? ` (HTTP ${e.status})` : '';
    console.error(`personal data report failed: ${e instanceof Error ? e.name : 'Response'}${status}`);
    return { statusCode: 503 };
  }
}
