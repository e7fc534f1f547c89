/**
 * The Forge key-value store of one installation, persisted in dataDir, answering the
 * HTTP contract @forge/kvs speaks (`POST /api/v1/get|set|delete|query`, `secret/*`, `batch/*`).
 * Errors use the kvs error body `{code, message}` the client turns into ForgeKvsAPIError.
 */
import { z } from 'zod';
import { JsonFileWriter, readJsonFile } from './json-file.js';
import { KVS_DEFAULT_QUERY_LIMIT, KVS_MAX_KEY_LENGTH, KVS_MAX_QUERY_LIMIT, KVS_MAX_VALUE_BYTES } from './limits.js';

interface Entry {
  value: unknown;
  createdAt: number;
  updatedAt: number;
}
interface Stored {
  entries: Record<string, Entry>;
  secrets: Record<string, Entry>;
}

const KvsKey = z
  .string()
  .min(1)
  .max(KVS_MAX_KEY_LENGTH)
  .regex(/^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/, 'key has characters kvs does not allow');
const GetBody = z.object({ key: KvsKey, options: z.unknown().optional() });
const SetBody = z.object({
  key: KvsKey,
  value: z.unknown(),
  options: z
    .object({ keyPolicy: z.enum(['OVERRIDE', 'FAIL_IF_EXISTS']).optional() })
    .passthrough()
    .optional(),
});
const Condition = z.object({ property: z.literal('key'), condition: z.string(), values: z.array(z.unknown()) });
const QueryBody = z
  .object({
    limit: z.number().int().min(1).max(KVS_MAX_QUERY_LIMIT).optional(),
    after: z.string().optional(),
    where: z.array(Condition).max(1).optional(),
  })
  .passthrough();
const BatchSetBody = z.array(z.object({ key: KvsKey, value: z.unknown() })).max(25);
const BatchKeysBody = z.array(z.object({ key: KvsKey })).max(25);

function kvsError(status: number, code: string, message: string): Response {
  return Response.json({ code, message }, { status });
}

function matches(key: string, where: z.infer<typeof Condition> | undefined): boolean {
  if (!where) return true;
  const [a, b] = where.values.map(String);
  switch (where.condition) {
    case 'BEGINS_WITH':
      return key.startsWith(a ?? '');
    case 'EQUAL_TO':
      return key === a;
    case 'BETWEEN':
      return key >= (a ?? '') && key <= (b ?? '');
    case 'GREATER_THAN':
      return key > (a ?? '');
    case 'GREATER_THAN_EQUAL_TO':
      return key >= (a ?? '');
    case 'LESS_THAN':
      return key < (a ?? '');
    case 'LESS_THAN_EQUAL_TO':
      return key <= (a ?? '');
    default:
      return false;
  }
}

export class KvsStore {
  private constructor(
    private readonly data: Stored,
    private readonly writer: JsonFileWriter,
  ) {}

  static async open(file: string): Promise<KvsStore> {
    const data = (await readJsonFile<Stored>(file)) ?? { entries: {}, secrets: {} };
    return new KvsStore(data, new JsonFileWriter(file));
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Answers one @forge/kvs request. */
  async handle(path: string, init: RequestInit | undefined): Promise<Response> {
    let body: unknown;
    try {
      body = JSON.parse(typeof init?.body === 'string' ? init.body : '');
    } catch {
      return kvsError(400, 'BAD_REQUEST', 'kvs request body must be JSON');
    }
    const op = path.replace(/^\/api\/v1\//, '');
    switch (op) {
      case 'get':
        return this.get(this.data.entries, body);
      case 'secret/get':
        return this.get(this.data.secrets, body);
      case 'set':
        return this.set(this.data.entries, body);
      case 'secret/set':
        return this.set(this.data.secrets, body);
      case 'delete':
        return this.delete(this.data.entries, body);
      case 'secret/delete':
        return this.delete(this.data.secrets, body);
      case 'query':
        return this.query(body);
      case 'batch/set':
        return this.batchSet(body);
      case 'batch/get':
        return this.batchGet(body);
      case 'batch/delete':
        return this.batchDelete(body);
      default:
        return kvsError(400, 'NOT_SUPPORTED', `kvs operation ${op} is not supported by the local Forge host`);
    }
  }

  private get(map: Record<string, Entry>, body: unknown): Response {
    const b = GetBody.safeParse(body);
    if (!b.success) return kvsError(400, 'INVALID_KEY', b.error.issues[0]?.message ?? 'invalid key');
    const e = map[b.data.key];
    if (!e) return kvsError(404, 'KEY_NOT_FOUND', 'Provided key does not exist');
    return Response.json({ key: b.data.key, value: e.value, createdAt: e.createdAt, updatedAt: e.updatedAt });
  }

  private async set(map: Record<string, Entry>, body: unknown): Promise<Response> {
    const b = SetBody.safeParse(body);
    if (!b.success) return kvsError(400, 'INVALID_KEY', b.error.issues[0]?.message ?? 'invalid request');
    if (b.data.value === undefined) return kvsError(400, 'INVALID_VALUE', 'value is required');
    if (Buffer.byteLength(JSON.stringify(b.data.value)) > KVS_MAX_VALUE_BYTES)
      return kvsError(413, 'VALUE_TOO_LARGE', `value exceeds ${KVS_MAX_VALUE_BYTES} bytes`);
    const prev = map[b.data.key];
    if (prev && b.data.options?.keyPolicy === 'FAIL_IF_EXISTS') return kvsError(409, 'KEY_ALREADY_EXISTS', 'Provided key already exists');
    const now = Date.now();
    map[b.data.key] = { value: b.data.value, createdAt: prev?.createdAt ?? now, updatedAt: now };
    await this.writer.write(() => this.data);
    return new Response(null, { status: 204 });
  }

  private async delete(map: Record<string, Entry>, body: unknown): Promise<Response> {
    const b = GetBody.safeParse(body);
    if (!b.success) return kvsError(400, 'INVALID_KEY', b.error.issues[0]?.message ?? 'invalid key');
    delete map[b.data.key];
    await this.writer.write(() => this.data);
    return new Response(null, { status: 204 });
  }

  private query(body: unknown): Response {
    const b = QueryBody.safeParse(body);
    if (!b.success) return kvsError(400, 'INVALID_QUERY', b.error.issues[0]?.message ?? 'invalid query');
    const where = b.data.where?.[0];
    const after = b.data.after ? Buffer.from(b.data.after, 'base64url').toString('utf8') : undefined;
    const keys = Object.keys(this.data.entries)
      .sort()
      .filter((k) => matches(k, where) && (after === undefined || k > after));
    const limit = b.data.limit ?? KVS_DEFAULT_QUERY_LIMIT;
    const page = keys.slice(0, limit);
    const last = page[page.length - 1];
    return Response.json({
      data: page.map((key) => ({ key, value: this.data.entries[key]?.value })),
      ...(keys.length > limit && last !== undefined ? { cursor: Buffer.from(last).toString('base64url') } : {}),
    });
  }

  private async batchSet(body: unknown): Promise<Response> {
    const b = BatchSetBody.safeParse(body);
    if (!b.success) return kvsError(400, 'INVALID_REQUEST', b.error.issues[0]?.message ?? 'invalid batch');
    const now = Date.now();
    for (const { key, value } of b.data) this.data.entries[key] = { value, createdAt: this.data.entries[key]?.createdAt ?? now, updatedAt: now };
    await this.writer.write(() => this.data);
    return Response.json({ successfulKeys: b.data.map(({ key }) => ({ key })), failedKeys: [] });
  }

  private batchGet(body: unknown): Response {
    const b = BatchKeysBody.safeParse(body);
    if (!b.success) return kvsError(400, 'INVALID_REQUEST', b.error.issues[0]?.message ?? 'invalid batch');
    const found = b.data.filter(({ key }) => key in this.data.entries);
    return Response.json({
      successfulKeys: found.map(({ key }) => ({ key, value: this.data.entries[key]?.value })),
      failedKeys: b.data
        .filter(({ key }) => !(key in this.data.entries))
        .map(({ key }) => ({ key, error: { code: 'KEY_NOT_FOUND', message: 'Provided key does not exist' } })),
    });
  }

  private async batchDelete(body: unknown): Promise<Response> {
    const b = BatchKeysBody.safeParse(body);
    if (!b.success) return kvsError(400, 'INVALID_REQUEST', b.error.issues[0]?.message ?? 'invalid batch');
    for (const { key } of b.data) delete this.data.entries[key];
    await this.writer.write(() => this.data);
    return Response.json({ successfulKeys: b.data, failedKeys: [] });
  }
}
