import type { Prechat } from '../../../src/protocol/customer-ws.js';
import type { Store } from './storage.js';

/**
 * localStorage key of the name and email the visitor typed into the form: the widget shows
 * and resends them from here, because the presence service keeps no names or emails.
 */
export const PROFILE_KEY = 'profile';

export function profile(store: Store): { name?: string; email?: string } {
  const p = store.get<{ name?: unknown; email?: unknown }>(PROFILE_KEY);
  return { ...(typeof p?.name === 'string' ? { name: p.name } : {}), ...(typeof p?.email === 'string' ? { email: p.email } : {}) };
}

export function remember(store: Store, prechat: Prechat): void {
  if (!prechat.name && !prechat.email) return;
  store.set(PROFILE_KEY, { ...profile(store), ...(prechat.name ? { name: prechat.name } : {}), ...(prechat.email ? { email: prechat.email } : {}) });
}
