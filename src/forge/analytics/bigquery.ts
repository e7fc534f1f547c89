/**
 * BigQuery streaming inserts (tabledata.insertAll) with @google-cloud/bigquery, into a
 * table the app creates with TABLE_SCHEMA (docs/analytics.md) on first use.
 *   POST {endpoint}/bigquery/v2/projects/{p}/datasets/{d}/tables/{t}/insertAll
 *   {skipInvalidRows:false, ignoreUnknownValues:false, rows:[{insertId, json}]}
 * insertId is the event id: BigQuery drops a retried row it already has (best effort).
 * The client's own retries are off (autoRetry:false): the outbox owns retrying, within
 * the invocation's time. Auth: a bearer token from google-token.ts (the key's token_uri).
 * @see https://cloud.google.com/bigquery/docs/reference/rest/v2/tabledata/insertAll
 * @see https://cloud.google.com/bigquery/docs/reference/rest/v2/tables/insert
 * @see https://cloud.google.com/bigquery/docs/reference/rest/v2/tables/patch
 */
import { BigQuery, type TableField } from '@google-cloud/bigquery';
import { kvs } from '@forge/kvs';
import { EVENT_NAMES, type AnalyticsEvent } from './events.js';
import { accessToken } from './google-token.js';
import { BQ_MAX_ROWS_PER_REQUEST, SINK_TIMEOUT_MS } from './limits.js';
import type { BigQueryConfig, ServiceAccountKey } from './settings.js';
import { SinkError, type Sink } from './sink.js';

/** The documented table (docs/analytics.md). Day-partitioned on event_time. */
export const TABLE_SCHEMA: TableField[] = [
  { name: 'event_id', type: 'STRING', mode: 'REQUIRED', description: 'unique per event; the insertId' },
  { name: 'event_name', type: 'STRING', mode: 'REQUIRED', description: EVENT_NAMES.join(', ') },
  { name: 'event_time', type: 'TIMESTAMP', mode: 'REQUIRED' },
  { name: 'visitor_id', type: 'STRING', mode: 'NULLABLE', description: 'keyed hash of the customer (per installation); null on widget_loaded/chat_opened' },
  { name: 'conversation_id', type: 'STRING', mode: 'NULLABLE', description: 'keyed hash of the request; null on widget_loaded/chat_opened' },
  { name: 'project_id', type: 'STRING', mode: 'REQUIRED', description: 'keyed hash of the Jira project' },
  { name: 'channel', type: 'STRING', mode: 'REQUIRED', description: 'web or whatsapp' },
  { name: 'agent_id', type: 'STRING', mode: 'NULLABLE', description: 'keyed hash of the agent' },
  { name: 'sender', type: 'STRING', mode: 'NULLABLE', description: 'customer or agent (chat_message)' },
  { name: 'attachment', type: 'BOOLEAN', mode: 'NULLABLE', description: 'the message carried a file' },
  { name: 'seconds', type: 'INTEGER', mode: 'NULLABLE', description: 'first_response/chat_missed: wait; chat_closed: duration' },
  { name: 'rating', type: 'INTEGER', mode: 'NULLABLE', description: '1..5 (chat_rated)' },
  { name: 'count', type: 'INTEGER', mode: 'NULLABLE', description: 'widget_loaded/chat_opened: how many in the interval' },
];

export function toRow(e: AnalyticsEvent): { insertId: string; json: Record<string, unknown> } {
  return {
    insertId: e.id,
    json: {
      event_id: e.id,
      event_name: e.name,
      event_time: new Date(e.at).toISOString(),
      visitor_id: e.visitor ?? null,
      conversation_id: e.conversation ?? null,
      project_id: e.project,
      channel: e.channel,
      agent_id: e.agent ?? null,
      sender: e.sender ?? null,
      attachment: e.attachment ?? null,
      seconds: e.seconds ?? null,
      rating: e.rating ?? null,
      count: e.count ?? null,
    },
  };
}

/**
 * Set once the table has TABLE_SCHEMA. Versioned: a table an earlier version created (with
 * visitor_id and conversation_id REQUIRED and no count) is patched once, which BigQuery
 * allows for added NULLABLE columns and REQUIRED → NULLABLE.
 */
const readyKey = (c: BigQueryConfig) => `analytics.bq-table.v2:${c.projectId}.${c.datasetId}.${c.tableId}`.slice(0, 400);

function statusOf(e: unknown): number | undefined {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Network errors and 429/5xx are outages (retry later); any other status is a refusal. */
function sinkError(what: string, e: unknown): SinkError {
  if (e instanceof SinkError) return e;
  const status = statusOf(e);
  if (status === undefined || status === 429 || status >= 500) return new SinkError('unavailable', `BigQuery ${what} failed (${status ?? 'network'})`);
  return new SinkError('invalid', `BigQuery ${what} refused (${status})`);
}

export function bigQuerySink(config: BigQueryConfig, key: ServiceAccountKey): Sink {
  const client = new BigQuery({
    projectId: config.projectId,
    apiEndpoint: config.endpoint,
    autoRetry: false,
    // Duck-typed auth client: the library only asks it for request headers (projectId is given).
    authClient: { getRequestHeaders: async () => new Headers({ authorization: `Bearer ${await accessToken(key)}` }) } as never,
  });
  const table = client.dataset(config.datasetId).table(config.tableId);

  async function ensureTable(): Promise<void> {
    if (await kvs.get(readyKey(config))) return;
    try {
      await table.create({ schema: { fields: TABLE_SCHEMA }, timePartitioning: { type: 'DAY', field: 'event_time' } });
    } catch (e) {
      if (statusOf(e) !== 409) throw sinkError('table create', e);
      // 409: it exists already, perhaps with an earlier schema (tables.patch).
      try {
        await table.setMetadata({ schema: { fields: TABLE_SCHEMA } });
      } catch (p) {
        throw sinkError('table patch', p);
      }
    }
    await kvs.set(readyKey(config), true);
  }

  return {
    name: 'bigquery',
    async send(events) {
      await ensureTable();
      for (let i = 0; i < events.length; i += BQ_MAX_ROWS_PER_REQUEST) {
        const rows = events.slice(i, i + BQ_MAX_ROWS_PER_REQUEST).map(toRow);
        try {
          await table.insert(rows, { raw: true, skipInvalidRows: false, ignoreUnknownValues: false, timeout: SINK_TIMEOUT_MS } as never);
        } catch (e) {
          if ((e as { name?: string }).name === 'PartialFailureError') throw new SinkError('invalid', 'BigQuery refused some rows');
          throw sinkError('insert', e);
        }
      }
    },
  };
}
