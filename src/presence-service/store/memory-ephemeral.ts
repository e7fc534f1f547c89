import type { EphemeralStore, Json, MemberEntry } from './ports.js';
import { decode, encode } from './json.js';

/** Expired entries are dropped when read, and by a sweep so unread ones do not pile up. */
export const SWEEP_INTERVAL_MS = 30_000;

interface Entry {
  value: string;
  expiresAt: number;
}

/** In-process ephemeral data; an entry is alive while expiresAt > now. */
export class MemoryEphemeralStore implements EphemeralStore {
  private readonly values = new Map<string, Entry>();
  private readonly sets = new Map<string, Map<string, Entry>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly now: () => number,
    private readonly guard: () => void,
  ) {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  async set(key: string, value: Json, ttlMs: number): Promise<void> {
    this.guard();
    this.values.set(key, { value: encode(value), expiresAt: this.expiry(ttlMs) });
  }

  async get<T extends Json = Json>(key: string): Promise<T | null> {
    this.guard();
    return decode<T>(this.live(key)?.value);
  }

  async take<T extends Json = Json>(key: string): Promise<T | null> {
    this.guard();
    const entry = this.live(key);
    this.values.delete(key);
    return decode<T>(entry?.value);
  }

  async delete(key: string): Promise<void> {
    this.guard();
    this.values.delete(key);
  }

  async incr(key: string, ttlMs: number): Promise<number> {
    this.guard();
    const entry = this.live(key);
    const count = entry ? Number(entry.value) + 1 : 1;
    this.values.set(key, { value: String(count), expiresAt: entry ? entry.expiresAt : this.expiry(ttlMs) });
    return count;
  }

  async touchMember(setKey: string, member: string, data: Json, ttlMs: number): Promise<void> {
    this.guard();
    let set = this.sets.get(setKey);
    if (!set) this.sets.set(setKey, (set = new Map()));
    set.set(member, { value: encode(data), expiresAt: this.expiry(ttlMs) });
  }

  async removeMember(setKey: string, member: string): Promise<void> {
    this.guard();
    const set = this.sets.get(setKey);
    set?.delete(member);
    if (set?.size === 0) this.sets.delete(setKey);
  }

  async members(setKey: string): Promise<MemberEntry[]> {
    this.guard();
    const set = this.sets.get(setKey);
    if (!set) return [];
    this.prune(setKey, set);
    return [...set].map(([member, e]) => ({ member, data: decode(e.value), expiresAt: e.expiresAt }));
  }

  stop(): void {
    clearInterval(this.sweeper);
  }

  private expiry(ttlMs: number): number {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('ttlMs must be a positive number');
    return this.now() + ttlMs;
  }

  private live(key: string): Entry | undefined {
    const entry = this.values.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.values.delete(key);
      return undefined;
    }
    return entry;
  }

  private prune(setKey: string, set: Map<string, Entry>): void {
    const now = this.now();
    for (const [member, e] of set) if (e.expiresAt <= now) set.delete(member);
    if (set.size === 0) this.sets.delete(setKey);
  }

  private sweep(): void {
    for (const key of this.values.keys()) this.live(key);
    for (const [setKey, set] of this.sets) this.prune(setKey, set);
  }
}
