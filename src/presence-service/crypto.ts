/**
 * Service-side cryptography, all keyed by SECRET_KEY. Subkeys are derived per purpose
 * so that a visitor-token hash can never double as a download signature.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** `caller`: the key the app binds idempotency records to (protocol/webtrigger.ts CallerKey). */
export type Purpose = 'visitor-token' | 'download-url' | 'at-rest' | 'lookup' | 'caller' | 'verified-subject';

export interface Crypto {
  /** HMAC-SHA256 (hex) of a value under the purpose's subkey: stored instead of the value. */
  hash(purpose: Purpose, value: string): string;
  /** AES-256-GCM; output `v1.<iv>.<tag>.<ciphertext>` (base64url). */
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  subkey(purpose: Purpose): Buffer;
}

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function createCrypto(secretKey: Buffer): Crypto {
  const cache = new Map<Purpose, Buffer>();
  const subkey = (purpose: Purpose): Buffer => {
    let k = cache.get(purpose);
    if (!k) {
      k = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), `jsmchat:${purpose}`, 32));
      cache.set(purpose, k);
    }
    return k;
  };
  return {
    subkey,
    hash: (purpose, value) => createHmac('sha256', subkey(purpose)).update(value).digest('hex'),
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', subkey('at-rest'), iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    decrypt(sealed) {
      const [v, iv, tag, body] = sealed.split('.');
      if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('sealed value has an unknown format');
      const d = createDecipheriv('aes-256-gcm', subkey('at-rest'), Buffer.from(iv, 'base64url'));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
    },
  };
}
