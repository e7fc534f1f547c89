/**
 * An OAuth access token for a Google service account: the JWT-bearer grant (RFC 7523)
 * that Google's own libraries use, signed RS256 with the key's private key and posted
 * to the key's `token_uri`. Done here (with jose) rather than by google-auth-library so
 * the token endpoint is the one the key names, which lets tests run against a local fake.
 * @see https://developers.google.com/identity/protocols/oauth2/service-account#httprest
 */
import { importPKCS8, SignJWT } from 'jose';
import { SINK_TIMEOUT_MS } from './limits.js';
import type { ServiceAccountKey } from './settings.js';
import { SinkError } from './sink.js';

const SCOPE = 'https://www.googleapis.com/auth/bigquery.insertdata https://www.googleapis.com/auth/bigquery';
/** Renew this long before Google's expiry. */
const EARLY_MS = 60_000;

const cache = new Map<string, { token: string; until: number }>();

export async function accessToken(key: ServiceAccountKey, nowMs = Date.now()): Promise<string> {
  const cacheKey = `${key.client_email}\u0000${key.token_uri}`;
  const hit = cache.get(cacheKey);
  if (hit && hit.until > nowMs) return hit.token;
  let assertion: string;
  try {
    const pk = await importPKCS8(key.private_key, 'RS256');
    const iat = Math.floor(nowMs / 1000);
    assertion = await new SignJWT({ scope: SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer(key.client_email)
      .setAudience(key.token_uri)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .sign(pk);
  } catch {
    throw new SinkError('invalid', 'the BigQuery service account key cannot sign (not an RSA private key)');
  }
  let res: Response;
  try {
    res = await fetch(key.token_uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
      signal: AbortSignal.timeout(SINK_TIMEOUT_MS),
    });
  } catch (e) {
    throw new SinkError('unavailable', `Google token endpoint unreachable (${e instanceof Error ? e.name : 'error'})`);
  }
  const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown };
  if (res.status === 429 || res.status >= 500) throw new SinkError('unavailable', `Google token endpoint answered ${res.status}`);
  if (!res.ok || typeof body.access_token !== 'string') throw new SinkError('invalid', `Google refused the service account key (${res.status})`);
  const ttl = typeof body.expires_in === 'number' ? body.expires_in * 1000 : 3600_000;
  cache.set(cacheKey, { token: body.access_token, until: nowMs + ttl - EARLY_MS });
  return body.access_token;
}
