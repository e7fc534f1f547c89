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
 *
 * What is stored depends on what the token stands for (data policy, README):
 * - a visitor who never started a conversation: nothing. Their token carries its own
 *   proof (random part + a keyed tag), so it is recognised on return without a record —
 *   twenty thousand passing visitors leave nothing behind;
 * - a verified visitor without a conversation yet: an ephemeral record whose TTL slides
 *   with each visit (VISITOR_IDLE_TTL_MS, env VISITOR_IDLE_TTL_MS), then it is gone;
 * - a visitor with a conversation: the durable token → Jira accountId record (their
 *   conversations hang off it), removed when Jira closes the account (privacy/).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { VISITOR_TOKEN_BYTES } from '../../protocol/limits.js';
import type { EphemeralStore, KeyValueStore } from '../store/ports.js';
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

/** A verified visitor's record without a conversation lives this long after their last visit. */
export const VISITOR_IDLE_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Self-proving tokens: base64url of VISITOR_TOKEN_BYTES random bytes, then a 128-bit tag. */
const RANDOM_CHARS = Math.ceil((VISITOR_TOKEN_BYTES * 4) / 3);
const TAG_BYTES = 16;
const TAG_CHARS = Math.ceil((TAG_BYTES * 4) / 3);

export class VisitorTokens {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly crypto: Crypto,
    private readonly ephemeral?: EphemeralStore,
    private readonly idleTtlMs = VISITOR_IDLE_TTL_MS,
  ) {}

  /** Bound to the site, so a token from one site is a stranger on another (as without a record before). */
  private tag(installationId: string, random: string): string {
    return createHmac('sha256', this.crypto.subkey('visitor-token'))
      .update(`anon:${installationId}:${random}`)
      .digest()
      .subarray(0, TAG_BYTES)
      .toString('base64url');
  }

  /** True for a token this service issued (its tag checks out), record or not. */
  private issuedHere(installationId: string, token: string): boolean {
    if (token.length !== RANDOM_CHARS + TAG_CHARS) return false;
    const given = Buffer.from(token.slice(RANDOM_CHARS));
    const expected = Buffer.from(this.tag(installationId, token.slice(0, RANDOM_CHARS)));
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

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

  issue(installationId: string): { token: string; hash: string } {
    const random = randomToken(VISITOR_TOKEN_BYTES);
    const token = random + this.tag(installationId, random);
    return { token, hash: this.hash(token) };
  }

  /** The subject a verified identity is known by: a keyed hash, so the store never holds the email. */
  subject(verifiedEmail: string): string {
    return this.crypto.hash('verified-subject', verifiedEmail.trim().toLowerCase());
  }

  async load(installationId: string, token: string): Promise<{ hash: string; record: VisitorRecord } | null> {
    if (!VISITOR_TOKEN_RE.test(token)) return null;
    const hash = this.hash(token);
    const key = keys.identity(installationId, hash);
    const stored = (await this.kv.get(key)) as Record<string, unknown> | null;
    if (stored && typeof stored === 'object') {
      const record = clean(stored);
      // An older record with a cached name or email is rewritten without them at first use.
      if (LEGACY_FIELDS.some((f) => f in stored)) await this.save(installationId, hash, record);
      return { hash, record };
    }
    const pending = this.ephemeral ? ((await this.ephemeral.get(key)) as Record<string, unknown> | null) : null;
    if (pending && typeof pending === 'object') {
      const record = clean(pending);
      await this.ephemeral!.set(key, { ...record }, this.idleTtlMs); // the TTL slides with each visit
      return { hash, record };
    }
    if (this.issuedHere(installationId, token)) return { hash, record: { accountId: null, verified: false, createdAt: new Date(0).toISOString() } };
    return null;
  }

  async save(installationId: string, hash: string, record: VisitorRecord): Promise<void> {
    const key = keys.identity(installationId, hash);
    const value = { ...clean(record as unknown as Record<string, unknown>) };
    if (record.accountId || !this.ephemeral) {
      await this.kv.set(key, value);
      await this.kv.setIfAbsent(serviceKeys.visitorSite(hash), { installationId });
      if (this.ephemeral) await this.ephemeral.delete(key);
      return;
    }
    // No conversation yet: an anonymous token proves itself; a verified one is kept a while.
    if (record.verified) await this.ephemeral.set(key, value, this.idleTtlMs);
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
