import type { Json, KeyValueStore } from './ports.js';
import { decode, encode } from './json.js';
import { run } from './redis-connection.js';
import type { RedisCommandConnection, RedisCommands } from './redis-backend.js';
import { escapeGlob, plainLayout, type KeyLayout } from './redis-layout.js';

export { escapeGlob };

const SCAN_COUNT = 500;
/** A full scan walks the whole keyspace: give it longer than a single command. */
const SCAN_TIMEOUT_MS = 10_000;

/** Durable keys as JSON strings under `<keyPrefix>d:`, apart from ephemeral ones so keys() sees only durable data. */
export class RedisKeyValueStore implements KeyValueStore {
  private readonly client: RedisCommands;

  constructor(
    private readonly conn: RedisCommandConnection,
    private readonly ns: string,
    private readonly layout: KeyLayout = plainLayout,
  ) {
    this.client = conn.commands;
  }

  private k(key: string): string {
    return this.layout.physical(this.ns, key);
  }

  get<T extends Json = Json>(key: string): Promise<T | null> {
    return run(this.conn, async () => decode<T>(await this.client.get(this.k(key))));
  }

  set(key: string, value: Json): Promise<void> {
    const text = encode(value);
    return run(this.conn, async () => void (await this.client.set(this.k(key), text)));
  }

  setIfAbsent(key: string, value: Json): Promise<boolean> {
    const text = encode(value);
    return run(this.conn, async () => (await this.client.set(this.k(key), text, { condition: 'NX' })) === 'OK');
  }

  delete(key: string): Promise<void> {
    return run(this.conn, async () => void (await this.client.del(this.k(key))));
  }

  keys(prefix: string): Promise<string[]> {
    return run(
      this.conn,
      async () => {
        const found = new Set<string>(); // SCAN may return a key more than once
        for await (const batch of this.conn.scan(this.layout.match(this.ns, prefix), SCAN_COUNT)) {
          for (const name of batch) {
            const key = this.layout.logical(this.ns, String(name));
            if (key !== null && key.startsWith(prefix)) found.add(key);
          }
        }
        return [...found];
      },
      SCAN_TIMEOUT_MS,
    );
  }
}
