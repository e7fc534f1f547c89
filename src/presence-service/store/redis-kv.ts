import type { Json, KeyValueStore } from './ports.js';
import { decode, encode } from './json.js';
import { run, type RedisClient } from './redis-connection.js';

const SCAN_COUNT = 500;
/** A full scan walks the whole keyspace: give it longer than a single command. */
const SCAN_TIMEOUT_MS = 10_000;

/** Redis glob metacharacters, escaped so a prefix matches only itself in SCAN MATCH. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** Durable keys as JSON strings under `<keyPrefix>d:`, apart from ephemeral ones so keys() sees only durable data. */
export class RedisKeyValueStore implements KeyValueStore {
  constructor(
    private readonly client: RedisClient,
    private readonly ns: string,
  ) {}

  get<T extends Json = Json>(key: string): Promise<T | null> {
    return run(this.client, async () => decode<T>(await this.client.get(this.ns + key)));
  }

  set(key: string, value: Json): Promise<void> {
    const text = encode(value);
    return run(this.client, async () => void (await this.client.set(this.ns + key, text)));
  }

  setIfAbsent(key: string, value: Json): Promise<boolean> {
    const text = encode(value);
    return run(this.client, async () => (await this.client.set(this.ns + key, text, { condition: 'NX' })) === 'OK');
  }

  delete(key: string): Promise<void> {
    return run(this.client, async () => void (await this.client.del(this.ns + key)));
  }

  keys(prefix: string): Promise<string[]> {
    return run(this.client, async () => {
      const found = new Set<string>(); // SCAN may return a key more than once
      const MATCH = `${escapeGlob(this.ns + prefix)}*`;
      for await (const batch of this.client.scanIterator({ MATCH, COUNT: SCAN_COUNT })) {
        for (const key of batch) found.add(String(key).slice(this.ns.length));
      }
      return [...found];
    }, SCAN_TIMEOUT_MS);
  }
}
