/**
 * Anonymous visitors get an opaque 192-bit token on first contact. The service keeps
 * only HMAC-SHA256(SECRET_KEY, token) -> the customer's identity, so a leaked store
 * does not hand out working tokens.
 */
import { VISITOR_TOKEN_BYTES } from '../../protocol/limits.js';
import type { KeyValueStore } from '../store/ports.js';
import { keys } from '../store/keys.js';
import { serviceKeys } from '../service-keys.js';
import { randomToken, type Crypto } from '../crypto.js';

export interface VisitorRecord {
  accountId: string | null;
  name: string | null;
  email: string | null;
  verified: boolean;
  createdAt: string;
}

export const VISITOR_TOKEN_RE = /^[A-Za-z0-9_-]{32,200}$/;

export class VisitorTokens {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly crypto: Crypto,
  ) {}

  hash(token: string): string {
    return this.crypto.hash('visitor-token', token);
  }

  issue(): { token: string; hash: string } {
    const token = randomToken(VISITOR_TOKEN_BYTES);
    return { token, hash: this.hash(token) };
  }

  async load(installationId: string, token: string): Promise<{ hash: string; record: VisitorRecord } | null> {
    if (!VISITOR_TOKEN_RE.test(token)) return null;
    const hash = this.hash(token);
    const record = await this.kv.get<VisitorRecord & { [k: string]: string | boolean | null }>(keys.identity(installationId, hash));
    return record ? { hash, record } : null;
  }

  async save(installationId: string, hash: string, record: VisitorRecord): Promise<void> {
    await this.kv.set(keys.identity(installationId, hash), { ...record });
    await this.kv.setIfAbsent(serviceKeys.visitorSite(hash), { installationId });
  }

  /** A token presented without its widget (HTTP uploads): find its site first. */
  async loadAnySite(token: string): Promise<{ installationId: string; hash: string; record: VisitorRecord } | null> {
    if (!VISITOR_TOKEN_RE.test(token)) return null;
    const site = await this.kv.get<{ installationId: string }>(serviceKeys.visitorSite(this.hash(token)));
    if (!site) return null;
    const found = await this.load(site.installationId, token);
    return found ? { installationId: site.installationId, ...found } : null;
  }
}
