/**
 * Two ways in: HTTP Basic with a user's email and API token (what jira.js and curl
 * send), and the Forge host's bearer secret plus an X-Sandbox-Principal header naming
 * the app or the user the app acts for.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { unauthenticated } from './errors.js';
import { SEED_API_TOKEN } from './limits.js';
import { APP_ACCOUNT_ID } from './seed.js';
import type { Store } from './store.js';
import type { HostPrincipal, Principal } from './types.js';

export const PRINCIPAL_HEADER = 'x-sandbox-principal';
/** Marks the app runtime's own product calls (the ones Jira's rate limits apply to). */
export const APP_RUNTIME_HEADER = 'x-sandbox-app-runtime';

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function hostHeaders(secret: string, p: HostPrincipal, o: { appRuntime?: boolean } = {}): Record<string, string> {
  return {
    Authorization: `Bearer ${secret}`,
    'X-Sandbox-Principal': p.type === 'app' ? 'app' : `user:${p.accountId}`,
    ...(o.appRuntime ? { 'X-Sandbox-App-Runtime': '1' } : {}),
  };
}

export function authenticate(headers: IncomingHttpHeaders, store: Store, hostSecret: string): Principal {
  const auth = headers.authorization ?? '';
  const [scheme, value = ''] = auth.split(' ', 2);
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw unauthenticated();
    const user = store.userByEmail(decoded.slice(0, colon));
    // Every account's API token in the sandbox is the same well-known string.
    if (!user || !user.active || user.accountType === 'app' || !safeEqual(decoded.slice(colon + 1), SEED_API_TOKEN)) throw unauthenticated();
    return { type: 'user', user };
  }
  if (scheme?.toLowerCase() === 'bearer' && safeEqual(value, hostSecret)) {
    const who = String(headers[PRINCIPAL_HEADER] ?? 'app');
    if (who === 'app') {
      const app = store.user(APP_ACCOUNT_ID);
      if (!app) throw unauthenticated();
      return { type: 'app', user: app };
    }
    if (who.startsWith('user:')) {
      const user = store.user(who.slice(5));
      if (user && user.active && user.accountType !== 'app') return { type: 'user', user };
    }
  }
  throw unauthenticated();
}
