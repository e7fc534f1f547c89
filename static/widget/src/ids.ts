/** A stable clientMsgId (8..64 of [A-Za-z0-9_-]) the service dedupes on. */
export function newClientMsgId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return 'c' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One opaque id per page load, sent as the socket's `rid` and uploads' X-Request-Id, so the
 * presence service's logs and the app's webtrigger calls of this visit can be matched up.
 */
export const sessionRequestId: string = 'w' + newClientMsgId().slice(1, 25);
