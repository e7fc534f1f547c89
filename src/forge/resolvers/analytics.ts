/**
 * Analytics settings on the admin page (Jira ADMINISTER only). Secrets are write-only:
 * they go to Forge secret storage and are never returned; the page learns "configured".
 */
import type Resolver from '@forge/resolver';
import { kvs } from '@forge/kvs';
import type { z } from 'zod';
import type { AnalyticsView } from '../../protocol/resolvers-analytics.js';
import { readCounters } from '../analytics/outbox.js';
import {
  BigQueryConfig,
  BQ_KEY_SECRET,
  Ga4Config,
  GA4_SECRET,
  readBigQueryKey,
  readGa4Secret,
  readSettings,
  ServiceAccountKey,
  writeSettings,
} from '../analytics/settings.js';
import { AppError, describeIssues } from '../lib/errors.js';
import { assertJiraAdmin } from '../lib/permissions.js';
import { define } from './define.js';

async function view(): Promise<AnalyticsView> {
  const [s, secret, key, ga4Counters, bqCounters] = await Promise.all([
    readSettings(),
    readGa4Secret(),
    readBigQueryKey(),
    readCounters('ga4'),
    readCounters('bigquery'),
  ]);
  return {
    enabled: s.enabled,
    missedAfterMinutes: s.missedAfterMinutes,
    ga4: { configured: Boolean(s.ga4 && secret), measurementId: s.ga4?.measurementId ?? null, endpoint: s.ga4?.endpoint ?? null, counters: ga4Counters },
    bigquery: {
      configured: Boolean(s.bigquery && key),
      projectId: s.bigquery?.projectId ?? null,
      datasetId: s.bigquery?.datasetId ?? null,
      tableId: s.bigquery?.tableId ?? null,
      clientEmail: s.bigquery?.clientEmail ?? null,
      endpoint: s.bigquery?.endpoint ?? null,
      counters: bqCounters,
    },
  };
}

function parsed<T>(what: string, schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError('invalid', `${what}: ${describeIssues(r.error.issues)}`);
  return r.data;
}

function keyFrom(text: string): ServiceAccountKey {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('invalid', 'the service account key is not JSON (paste the key file as Google issued it)');
  }
  return parsed('service account key', ServiceAccountKey, json);
}

export function registerAnalytics(r: Resolver): void {
  define(r, 'analytics.load', async () => {
    await assertJiraAdmin();
    return view();
  });

  define(r, 'analytics.save', async (req) => {
    await assertJiraAdmin();
    const current = await readSettings();
    const ga4 = req.ga4
      ? parsed('GA4', Ga4Config, { measurementId: req.ga4.measurementId.trim(), ...(req.ga4.endpoint?.trim() ? { endpoint: req.ga4.endpoint.trim() } : {}) })
      : null;
    const apiSecret = req.ga4?.apiSecret?.trim();
    if (ga4 && !apiSecret && !(await readGa4Secret())) throw new AppError('invalid', 'GA4: the API secret is required');
    if (apiSecret !== undefined && apiSecret !== '' && !/^[A-Za-z0-9_-]{8,100}$/.test(apiSecret))
      throw new AppError('invalid', 'GA4: the API secret has letters, digits, - and _ only');

    let bigquery = null as BigQueryConfig | null;
    let key: ServiceAccountKey | undefined;
    if (req.bigquery) {
      key = req.bigquery.serviceAccountKey?.trim() ? keyFrom(req.bigquery.serviceAccountKey) : await readBigQueryKey();
      if (!key) throw new AppError('invalid', 'BigQuery: the service account key is required');
      bigquery = parsed('BigQuery', BigQueryConfig, {
        projectId: req.bigquery.projectId.trim(),
        datasetId: req.bigquery.datasetId.trim(),
        tableId: req.bigquery.tableId.trim(),
        clientEmail: key.client_email,
        ...(req.bigquery.endpoint?.trim() ? { endpoint: req.bigquery.endpoint.trim() } : {}),
      });
    }
    if (apiSecret) await kvs.setSecret(GA4_SECRET, apiSecret);
    if (!ga4) await kvs.deleteSecret(GA4_SECRET);
    if (req.bigquery?.serviceAccountKey?.trim() && key) await kvs.setSecret(BQ_KEY_SECRET, key);
    if (!bigquery) await kvs.deleteSecret(BQ_KEY_SECRET);
    await writeSettings({ ...current, missedAfterMinutes: req.missedAfterMinutes, ga4, bigquery });
    return view();
  });
}
