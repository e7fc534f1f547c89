/** Idempotency key for chat.send: the app and the socket echo it back, so retries never double-post. */
export function newClientMsgId(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  // randomUUID needs a secure context; a plain http dev host still gets 128 random bits
  return Array.from(c.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
