/**
 * Per-installation analytics settings (Forge storage) and the sinks' secrets (Forge
 * secret storage, write-only: nothing reads them back to a page). The global switch is
 * kept here too, because the app is what emits events: with it off nothing is buffered
 * or sent (outbox.ts reads it before buffering). The presence service keeps its own copy
 * for the widget (admin.saveSettings writes both).
 */
import { kvs } from '@forge/kvs';
import { z } from 'zod';
import { DEFAULT_MISSED_AFTER_MINUTES, MAX_MISSED_AFTER_MINUTES } from './limits.js';

const SETTINGS_KEY = 'analytics.settings';
export const GA4_SECRET = 'analytics.ga4-api-secret';
export const BQ_KEY_SECRET = 'analytics.bigquery-key';

export const DEFAULT_GA4_ENDPOINT = 'https://www.google-analytics.com';
export const DEFAULT_BQ_ENDPOINT = 'https://bigquery.googleapis.com';

/**
 * Sinks are called over https; plain http only on the loopback (local fakes and the
 * sandbox). Forge's egress list (manifest permissions.external.fetch.backend) is the
 * second fence: a host not listed there is refused by the platform.
 */
export const Endpoint = z
  .string()
  .url()
  .max(200)
  .refine((u) => {
    const url = new URL(u);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
  }, 'an https:// URL (http:// only on the loopback)')
  .transform((u) => u.replace(/\/+$/, ''));

export const Ga4Config = z.object({
  /** "G-" followed by letters and digits (Admin > Data streams > Measurement ID). */
  measurementId: z.string().regex(/^G-[A-Z0-9]{4,20}$/, 'a GA4 measurement id (G-XXXXXXX)'),
  endpoint: Endpoint.default(DEFAULT_GA4_ENDPOINT),
});
export type Ga4Config = z.infer<typeof Ga4Config>;

/** @see https://cloud.google.com/bigquery/docs/datasets#dataset-naming and .../tables#table_naming */
export const BigQueryConfig = z.object({
  projectId: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$|^[a-z0-9.-]+:[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'a Google Cloud project id'),
  datasetId: z.string().regex(/^[A-Za-z0-9_]{1,1024}$/, 'a dataset id (letters, digits, underscores)'),
  tableId: z.string().regex(/^[A-Za-z0-9_-]{1,1024}$/, 'a table id (letters, digits, underscores, dashes)'),
  /** The service account the key belongs to (shown to the admin; the key itself never is). */
  clientEmail: z.string().email().max(200),
  endpoint: Endpoint.default(DEFAULT_BQ_ENDPOINT),
});
export type BigQueryConfig = z.infer<typeof BigQueryConfig>;

/** A service account key as Google issues it (JSON); only these fields are kept. */
export const ServiceAccountKey = z.object({
  type: z.literal('service_account'),
  client_email: z.string().email(),
  private_key: z.string().includes('PRIVATE KEY', { message: 'a PEM private key' }).max(8_000),
  token_uri: Endpoint.default('https://oauth2.googleapis.com/token'),
});
export type ServiceAccountKey = z.infer<typeof ServiceAccountKey>;

export const AnalyticsSettings = z.object({
  enabled: z.boolean(),
  missedAfterMinutes: z.number().int().min(1).max(MAX_MISSED_AFTER_MINUTES).default(DEFAULT_MISSED_AFTER_MINUTES),
  ga4: Ga4Config.nullable().default(null),
  bigquery: BigQueryConfig.nullable().default(null),
});
export type AnalyticsSettings = z.infer<typeof AnalyticsSettings>;

/** Before an admin saved anything: on (as the presence service's default) but with no sink, so nothing leaves. */
export const DEFAULT_SETTINGS: AnalyticsSettings = Object.freeze({
  enabled: true,
  missedAfterMinutes: DEFAULT_MISSED_AFTER_MINUTES,
  ga4: null,
  bigquery: null,
});

export async function readSettings(): Promise<AnalyticsSettings> {
  const parsed = AnalyticsSettings.safeParse(await kvs.get(SETTINGS_KEY));
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export async function writeSettings(next: AnalyticsSettings): Promise<void> {
  await kvs.set(SETTINGS_KEY, AnalyticsSettings.parse(next));
}

export async function setEnabled(enabled: boolean): Promise<AnalyticsSettings> {
  const next = { ...(await readSettings()), enabled };
  await writeSettings(next);
  return next;
}

export const readGa4Secret = async (): Promise<string | undefined> => kvs.getSecret<string>(GA4_SECRET);
export const readBigQueryKey = async (): Promise<ServiceAccountKey | undefined> => {
  const parsed = ServiceAccountKey.safeParse(await kvs.getSecret(BQ_KEY_SECRET));
  return parsed.success ? parsed.data : undefined;
};
