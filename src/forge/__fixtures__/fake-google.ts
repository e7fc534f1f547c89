/**
 * Local stand-ins for the two analytics sinks, answering the real request shapes, and
 * counting every request (the "analytics off" test expects zero):
 *  - GA4 Measurement Protocol: POST /mp/collect?measurement_id&api_secret (204, as Google
 *    answers), POST /debug/mp/collect ({validationMessages}).
 *  - Google OAuth token endpoint: POST /token, grant_type jwt-bearer, RS256 assertion
 *    checked against the service account's public key.
 *  - BigQuery v2: tables.insert (POST .../datasets/{d}/tables, 409 when it exists) and
 *    tabledata.insertAll (POST .../tables/{t}/insertAll) with Bearer auth, rows checked
 *    against the table's schema, insertId de-duplication; tables.patch (PATCH .../tables/{t})
 *    of the schema, which may only add NULLABLE columns and relax REQUIRED to NULLABLE.
 * Its own checks are written from Google's docs, independently of src/forge/analytics.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { importSPKI, jwtVerify } from 'jose';
import { handled } from '../../../scripts/testing/http.js';

export interface RecordedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface FakeGoogle {
  url: string;
  requests: RecordedRequest[];
  /** GA4 events received ({client_id, name, params}). */
  ga4Events: { client_id: string; name: string; params: Record<string, unknown> }[];
  /** BigQuery rows stored per table (`project.dataset.table`). */
  tables: Map<string, { schema: { name: string; type: string; mode?: string }[]; rows: Record<string, unknown>[]; insertIds: Set<string> }>;
  measurementId: string;
  apiSecret: string;
  /** The service account key JSON an admin would paste (token_uri points here). */
  serviceAccountKey: string;
  /** While true every endpoint answers 503 (a sink outage). */
  down: boolean;
  close(): Promise<void>;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const RESERVED_PREFIX = /^(_|firebase_|ga_|google_|gtag\.)/;

/** GA4 validation as the Measurement Protocol reference describes it. */
export function ga4Validation(body: unknown): { fieldPath: string; validationCode: string; description: string }[] {
  const out: { fieldPath: string; validationCode: string; description: string }[] = [];
  const b = body as { client_id?: unknown; events?: unknown };
  if (typeof b?.client_id !== 'string' || !b.client_id)
    out.push({ fieldPath: 'client_id', validationCode: 'VALUE_REQUIRED', description: 'client_id required' });
  if (!Array.isArray(b?.events) || !b.events.length) return [...out, { fieldPath: 'events', validationCode: 'VALUE_REQUIRED', description: 'events required' }];
  if (b.events.length > 25) out.push({ fieldPath: 'events', validationCode: 'EXCEEDED_MAX_ENTITIES', description: 'max 25 events' });
  b.events.forEach((e: { name?: unknown; params?: Record<string, unknown> }, i: number) => {
    if (typeof e.name !== 'string' || !NAME.test(e.name) || RESERVED_PREFIX.test(e.name))
      out.push({ fieldPath: `events[${i}].name`, validationCode: 'NAME_INVALID', description: String(e.name) });
    const params = Object.entries(e.params ?? {});
    if (params.length > 25) out.push({ fieldPath: `events[${i}].params`, validationCode: 'EXCEEDED_MAX_ENTITIES', description: 'max 25 params' });
    for (const [k, v] of params) {
      if (!NAME.test(k) || RESERVED_PREFIX.test(k)) out.push({ fieldPath: `events[${i}].params.${k}`, validationCode: 'NAME_INVALID', description: k });
      if (typeof v === 'string' && v.length > 100)
        out.push({ fieldPath: `events[${i}].params.${k}`, validationCode: 'VALUE_OUT_OF_BOUNDS', description: 'max 100 chars' });
    }
  });
  return out;
}

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

export async function startFakeGoogle(): Promise<FakeGoogle> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pub = await importSPKI(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'RS256');
  const clientEmail = 'chat-analytics@demo-project.iam.gserviceaccount.com';
  const tokens = new Set<string>();
  const fake: FakeGoogle = {
    url: '',
    requests: [],
    ga4Events: [],
    tables: new Map(),
    measurementId: 'G-TEST1234',
    apiSecret: 'fake-api-secret-123',
    serviceAccountKey: '',
    down: false,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  const server = createServer(
    handled(async (req, res) => {
      const body = await read(req);
      fake.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const send = (status: number, json?: unknown) => {
        res.writeHead(status, json === undefined ? {} : { 'content-type': 'application/json' });
        res.end(json === undefined ? undefined : JSON.stringify(json));
      };
      const bqError = (code: number, status: string, message: string) =>
        send(code, { error: { code, message, status, errors: [{ message, reason: status.toLowerCase() }] } });
      if (fake.down) return send(503, { error: { code: 503, message: 'unavailable', status: 'UNAVAILABLE' } });
      const u = new URL(req.url ?? '/', 'http://fake');
      try {
        if (req.method === 'POST' && (u.pathname === '/mp/collect' || u.pathname === '/debug/mp/collect')) {
          if (u.searchParams.get('measurement_id') !== fake.measurementId || u.searchParams.get('api_secret') !== fake.apiSecret)
            return send(u.pathname.startsWith('/debug') ? 200 : 204, u.pathname.startsWith('/debug') ? { validationMessages: [] } : undefined);
          const json = JSON.parse(body) as { client_id: string; events: { name: string; params: Record<string, unknown> }[] };
          const problems = ga4Validation(json);
          if (u.pathname.startsWith('/debug')) return send(200, { validationMessages: problems });
          if (!problems.length) for (const e of json.events) fake.ga4Events.push({ client_id: json.client_id, name: e.name, params: e.params ?? {} });
          return send(204);
        }
        if (req.method === 'POST' && u.pathname === '/token') {
          const form = new URLSearchParams(body);
          if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return send(400, { error: 'unsupported_grant_type' });
          try {
            const { payload } = await jwtVerify(form.get('assertion') ?? '', pub, { issuer: clientEmail, audience: `${fake.url}/token` });
            if (typeof payload.scope !== 'string' || !payload.scope.includes('bigquery')) return send(400, { error: 'invalid_scope' });
          } catch {
            return send(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
          }
          const token = `ya29.fake-${randomBytes(8).toString('hex')}`;
          tokens.add(token);
          return send(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
        }
        const m = /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables(?:\/([^/]+)(\/insertAll)?)?$/.exec(u.pathname);
        if (m) {
          const auth = String(req.headers.authorization ?? '');
          if (!auth.startsWith('Bearer ') || !tokens.has(auth.slice(7)))
            return bqError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
          const [, project, dataset, table, insertAll] = m;
          if (req.method === 'POST' && !table) {
            const t = JSON.parse(body) as {
              tableReference?: { projectId?: string; datasetId?: string; tableId?: string };
              schema?: { fields?: { name: string; type: string; mode?: string }[] };
            };
            const ref = t.tableReference;
            if (!ref?.tableId || ref.projectId !== project || ref.datasetId !== dataset || !t.schema?.fields?.length)
              return bqError(400, 'INVALID_ARGUMENT', 'Invalid table resource');
            const id = `${project}.${dataset}.${ref.tableId}`;
            if (fake.tables.has(id)) return bqError(409, 'ALREADY_EXISTS', `Already Exists: Table ${project}:${dataset}.${ref.tableId}`);
            fake.tables.set(id, { schema: t.schema.fields, rows: [], insertIds: new Set() });
            return send(200, { kind: 'bigquery#table', id: `${project}:${dataset}.${ref.tableId}`, tableReference: ref, schema: t.schema });
          }
          if (req.method === 'PATCH' && table && !insertAll) {
            const t = fake.tables.get(`${project}.${dataset}.${table}`);
            if (!t) return bqError(404, 'NOT_FOUND', `Not found: Table ${project}:${dataset}.${table}`);
            const fields = (JSON.parse(body) as { schema?: { fields?: { name: string; type: string; mode?: string }[] } }).schema?.fields;
            if (!fields?.length) return bqError(400, 'INVALID_ARGUMENT', 'Invalid schema');
            const next = new Map(fields.map((f) => [f.name, f]));
            for (const old of t.schema) {
              const f = next.get(old.name);
              if (!f || f.type !== old.type || (f.mode === 'REQUIRED' && old.mode !== 'REQUIRED'))
                return bqError(400, 'INVALID_ARGUMENT', `Provided Schema does not match Table: field ${old.name}`);
            }
            for (const f of fields)
              if (!t.schema.some((o) => o.name === f.name) && f.mode === 'REQUIRED')
                return bqError(400, 'INVALID_ARGUMENT', `cannot add required field ${f.name}`);
            t.schema = fields;
            return send(200, { kind: 'bigquery#table', schema: { fields } });
          }
          if (req.method === 'POST' && table && insertAll) {
            const t = fake.tables.get(`${project}.${dataset}.${table}`);
            if (!t) return bqError(404, 'NOT_FOUND', `Not found: Table ${project}:${dataset}.${table}`);
            const b = JSON.parse(body) as { rows?: { insertId?: string; json?: Record<string, unknown> }[] };
            if (!Array.isArray(b.rows) || !b.rows.length) return bqError(400, 'INVALID_ARGUMENT', 'No rows present in the request.');
            const insertErrors: { index: number; errors: { reason: string; message: string }[] }[] = [];
            const known = new Map(t.schema.map((f) => [f.name, f]));
            b.rows.forEach((r, index) => {
              const json = r.json ?? {};
              const unknown = Object.keys(json).filter((k) => !known.has(k));
              const missing = t.schema.filter((f) => f.mode === 'REQUIRED' && (json[f.name] === undefined || json[f.name] === null)).map((f) => f.name);
              if (unknown.length || missing.length)
                insertErrors.push({ index, errors: [{ reason: 'invalid', message: `no such field: ${unknown.join(',')}; missing: ${missing.join(',')}` }] });
            });
            if (insertErrors.length) return send(200, { kind: 'bigquery#tableDataInsertAllResponse', insertErrors });
            for (const r of b.rows) {
              if (r.insertId && t.insertIds.has(r.insertId)) continue;
              if (r.insertId) t.insertIds.add(r.insertId);
              t.rows.push(r.json ?? {});
            }
            return send(200, { kind: 'bigquery#tableDataInsertAllResponse' });
          }
        }
        send(404, { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } });
      } catch {
        send(400, { error: { code: 400, message: 'bad request', status: 'INVALID_ARGUMENT' } });
      }
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.serviceAccountKey = JSON.stringify({
    type: 'service_account',
    project_id: 'demo-project',
    private_key_id: 'fake',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    token_uri: `${fake.url}/token`,
  });
  return fake;
}
