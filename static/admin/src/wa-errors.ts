/**
 * WhatsApp settings speak to people, not in server codes (issue 11: "There was an error
 * invoking the function - invalid: …" was shown as is). The field checks mirror the
 * contract in src/protocol/remote.ts ('whatsapp.put'), so most mistakes never reach it.
 */
import { t } from './strings.js';

export type WaField = 'phoneNumberId' | 'accessToken' | 'appSecret' | 'verifyToken';

/** remote.ts 'whatsapp.put': phoneNumberId ^[0-9]{5,30}$, accessToken >= 10, appSecret >= 10, verifyToken >= 8. */
const CHECKS: Record<WaField, (v: string) => string | null> = {
  phoneNumberId: (v) => (/^[0-9]{5,30}$/.test(v) ? null : t.waBadPhoneNumberId),
  accessToken: (v) => (v.length >= 10 ? null : t.waBadToken),
  appSecret: (v) => (v.length >= 10 ? null : t.waBadAppSecret),
  verifyToken: (v) => (v.length >= 8 ? null : t.waBadVerifyToken),
};

export function checkWaField(field: WaField, value: string): string | null {
  const v = value.trim();
  if (!v) return t.waRequired;
  return CHECKS[field](v);
}

/** A human sentence for a failed save; the raw text is never shown (it may name internals). */
export function waSaveError(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err ?? '');
  // @forge/bridge prefixes "There was an error invoking the function - "; our resolvers then say "<code>: …".
  const code = /(?:^|- )([a-z_]+):/.exec(raw)?.[1];
  if (code === 'invalid') return t.waErrInvalid;
  if (code === 'forbidden' || code === 'unauthorized') return t.waErrForbidden;
  if (code === 'unavailable' || code === 'timeout' || /fetch|network/i.test(raw)) return t.waErrUnavailable;
  return t.waErrOther;
}
