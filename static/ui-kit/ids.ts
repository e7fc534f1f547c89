/**
 * A random id of 32 hex characters (128 bits): the clientMsgId the app and the service
 * dedupe on (8..64 of [A-Za-z0-9_-]), so a retry never posts twice. getRandomValues, not
 * randomUUID: the widget runs on plain http pages too, where randomUUID does not exist.
 * Free of imports, so the widget bundles only this function.
 */
export function newClientMsgId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
