/** A stable clientMsgId (8..64 of [A-Za-z0-9_-]) the service dedupes on. */
export function newClientMsgId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return 'c' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
