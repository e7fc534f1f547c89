import type { EphemeralStore, Json, MemberEntry } from './ports.js';
import { decode, encode } from './json.js';
import { run } from './redis-connection.js';
import type { RedisCommandConnection, RedisCommands } from './redis-backend.js';
import { plainLayout, type KeyLayout } from './redis-layout.js';

/**
 * Drops expired members (score = expiresAt <= now) and their data, then returns the
 * live ones as [member, score, data, ...] — in one step, so readers never see a member
 * without its data.
 */
const MEMBERS_SCRIPT = `
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
for i = 1, #dead do
  redis.call('ZREM', KEYS[1], dead[i])
  redis.call('HDEL', KEYS[2], dead[i])
end
local live = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'WITHSCORES')
local out = {}
for i = 1, #live, 2 do
  out[#out + 1] = live[i]
  out[#out + 1] = live[i + 1]
  out[#out + 1] = redis.call('HGET', KEYS[2], live[i]) or ''
end
return out
`;

function positive(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('ttlMs must be a positive number');
  return Math.ceil(ttlMs);
}

/**
 * Values under `<p>e:` with PX; a member set is a sorted set `<p>mz:` (score = expiresAt
 * by the injected clock) plus a hash `<p>mh:` for member data. Both keys also carry a
 * Redis TTL as long as their longest-lived member, so abandoned sets vanish on their own.
 */
export class RedisEphemeralStore implements EphemeralStore {
  private readonly client: RedisCommands;
  private readonly value: (key: string) => string;
  private readonly zset: (key: string) => string;
  private readonly hash: (key: string) => string;

  constructor(
    private readonly conn: RedisCommandConnection,
    keyPrefix: string,
    private readonly now: () => number,
    layout: KeyLayout = plainLayout,
  ) {
    this.client = conn.commands;
    // The sorted set and hash of one member set share the logical key, hence its slot.
    this.value = (key) => layout.physical(`${keyPrefix}e:`, key);
    this.zset = (key) => layout.physical(`${keyPrefix}mz:`, key);
    this.hash = (key) => layout.physical(`${keyPrefix}mh:`, key);
  }

  set(key: string, value: Json, ttlMs: number): Promise<void> {
    const text = encode(value);
    const PX = positive(ttlMs);
    return run(this.conn, async () => void (await this.client.set(this.value(key), text, { expiration: { type: 'PX', value: PX } })));
  }

  get<T extends Json = Json>(key: string): Promise<T | null> {
    return run(this.conn, async () => decode<T>(await this.client.get(this.value(key))));
  }

  take<T extends Json = Json>(key: string): Promise<T | null> {
    return run(this.conn, async () => decode<T>(await this.client.getDel(this.value(key))));
  }

  delete(key: string): Promise<void> {
    return run(this.conn, async () => void (await this.client.del(this.value(key))));
  }

  incr(key: string, ttlMs: number): Promise<number> {
    const ttl = positive(ttlMs);
    const k = this.value(key);
    // NX: only the first increment of a window sets its expiry (a fixed window, not a sliding one).
    return run(this.conn, async () => {
      const [count] = await this.routed(k, () => this.client.multi().incr(k).pExpire(k, ttl, 'NX').exec());
      return Number(count);
    });
  }

  touchMember(setKey: string, member: string, data: Json, ttlMs: number): Promise<void> {
    const ttl = positive(ttlMs);
    const text = encode(data);
    const z = this.zset(setKey);
    const h = this.hash(setKey);
    return run(this.conn, async () => {
      const score = this.now() + ttl;
      await this.routed(z, () =>
        this.client
          .multi()
          .zAdd(z, { score, value: member })
          .hSet(h, member, text)
          // NX gives a fresh key a TTL; GT extends it (GT alone never touches a key without TTL).
          .pExpire(z, ttl, 'NX')
          .pExpire(z, ttl, 'GT')
          .pExpire(h, ttl, 'NX')
          .pExpire(h, ttl, 'GT')
          .exec(),
      );
    });
  }

  removeMember(setKey: string, member: string): Promise<void> {
    return run(this.conn, async () => {
      const z = this.zset(setKey);
      await this.routed(z, () => this.client.multi().zRem(z, member).hDel(this.hash(setKey), member).exec());
    });
  }

  /**
   * A transaction, sent again once if its slot had moved (a Redis Cluster master failed over).
   * node-redis follows MOVED for single commands, refreshing its slot map, but not for MULTI: a
   * single command on the same key does the refresh first.
   */
  private async routed<T>(key: string, tx: () => Promise<T>): Promise<T> {
    try {
      return await tx();
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('MOVED ')) throw err;
      await this.client.exists(key);
      return tx();
    }
  }

  members(setKey: string): Promise<MemberEntry[]> {
    return run(this.conn, async () => {
      const reply = (await this.client.eval(MEMBERS_SCRIPT, {
        keys: [this.zset(setKey), this.hash(setKey)],
        arguments: [String(this.now())],
      })) as string[];
      const out: MemberEntry[] = [];
      for (let i = 0; i + 2 < reply.length; i += 3) {
        const [member, score, data] = [reply[i]!, reply[i + 1]!, reply[i + 2]!];
        out.push({ member, expiresAt: Number(score), data: data === '' ? null : decode(data) });
      }
      return out;
    });
  }
}
