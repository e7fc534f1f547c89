/**
 * Anonymous visitors get an opaque 192-bit token on first contact. The service keeps
 * only HMAC-SHA256(SECRET_KEY, token) -> the customer's Jira accountId, so a leaked store
 * does not hand out working tokens.
 *
 * The record holds nothing a customer typed (data policy, README): no name, no email.
 * Names and emails go to Jira when the request is created; the widget shows them from
 * the browser's own memory or the site's signed identity. For a verified visitor the
 * record keeps a keyed hash of the verified email (`verifiedSubject`), only to notice
 * when another person signs in with the same token.
 */
import { VISITOR_TOKEN_BYTES } from '../../protocol/limits.js';
import type { KeyValueStore } from '../store/ports.js';
import { keys } from '../store/keys.js';
import { serviceKeys } from '../service-keys.js';
import { randomToken, type Crypto } from '../crypto.js';

export interface VisitorRecord {
  accountId: string | null;
  verified: boolean;
  /** Verified visitors: HMAC of the lower-cased verified email (never the email). */
  verifiedSubject?: string;
  createdAt: string;
}

/** Fields records written before the data policy was enforced may still carry; dropped on load. */
const LEGACY_FIELDS = ['name', 'email'] as const;

/** Exactly the fields the policy allows, whatever was stored. */
function clean(r: Record<string, unknown>): VisitorRecord {
  return {
    accountId: typeof r['accountId'] === 'string' ? r['accountId'] : null,
    verified: r['verified'] === true,
    ...(typeof r['verifiedSubject'] === 'string' ? { verifiedSubject: r['verifiedSubject'] } : {}),
    createdAt: typeof r['createdAt'] === 'string' ? r['createdAt'] : new Date(0).toISOString(),
  };
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

  /**
   * The visitor's caller key for the app (protocol/webtrigger.ts CallerKey): stable per
   * token, derived under its own subkey so it never equals the store key it comes from.
   */
  callerKey(tokenHash: string): string {
    return `v:${this.crypto.hash('caller', tokenHash)}`;
  }

  issue(): { token: string; hash: string } {
    const token = randomToken(VISITOR_TOKEN_BYTES);
    return { token, hash: this.hash(token) };
  }

  /** The subject a verified identity is known by: a keyed hash, so the store never holds the email. */
  subject(verifiedEmail: string): string {
    return this.crypto.hash('verified-subject', verifiedEmail.trim().toLowerCase());
  }

  async load(installationId: string, token: string): Promise<{ hash: string; record: VisitorRecord } | null> {
    if (!VISITOR_TOKEN_RE.test(token)) return null;
    const hash = this.hash(token);
    const stored = (await this.kv.get(keys.identity(installationId, hash))) as Record<string, unknown> | null;
    if (!stored || typeof stored !== 'object') return null;
    const record = clean(stored);
    // An older record with a cached name or email is rewritten without them at first use.
    if (LEGACY_FIELDS.some((f) => f in stored)) await this.save(installationId, hash, record);
    return { hash, record };
  }

  async save(installationId: string, hash: string, record: VisitorRecord): Promise<void> {
    await this.kv.set(keys.identity(installationId, hash), { ...clean(record as unknown as Record<string, unknown>) });
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
