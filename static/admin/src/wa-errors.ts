/**
 * WhatsApp settings speak to people, not in server codes (issue 11: "There was an error
 * invoking the function - invalid: …" was shown as is). The fields are checked with the
 * contract's own schemas (src/protocol/whatsapp-credentials.ts, what 'whatsapp.put'
 * accepts), so most mistakes never reach it; the messages say what to enter.
 */
import { WhatsAppCredentialFields as Fields } from '../../../src/protocol/whatsapp-credentials.js';
import { t } from './strings.js';

export type WaField = 'phoneNumberId' | 'accessToken' | 'appSecret' | 'verifyToken';

const WHAT_TO_ENTER: Record<WaField, string> = {
  phoneNumberId: t.waBadPhoneNumberId,
  accessToken: t.waBadToken,
  appSecret: t.waBadAppSecret,
  verifyToken: t.waBadVerifyToken,
};

export function checkWaField(field: WaField, value: string): string | null {
  const v = value.trim();
  if (!v) return t.waRequired;
  const r = Fields[field].safeParse(v);
  if (r.success) return null;
  const tooLong = r.error.issues.find((i) => i.code === 'too_big');
  return tooLong ? t.waTooLong(Number(tooLong.maximum)) : WHAT_TO_ENTER[field];
}

/** The optional Business Account id: nothing to say when empty or valid. */
export function checkWabaId(value: string): string | undefined {
  const v = value.trim();
  return v && !Fields.wabaId.safeParse(v).success ? t.waWabaIdInvalid : undefined;
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
