/**
 * Request ids: one id follows a piece of work from the widget (header on uploads, `rid`
 * query parameter on the socket, which browsers cannot give headers) through the service's
 * logs to the app's webtrigger (X-Request-Id). Kept in AsyncLocalStorage so the app
 * client and the logger find it without every call passing it along. An id is an opaque
 * random token chosen by the client: never a name, email or message content.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';
export const REQUEST_ID_QUERY = 'rid';
const VALID = /^[A-Za-z0-9._-]{8,64}$/;

const storage = new AsyncLocalStorage<{ requestId: string }>();

/** The caller's id when it has a safe shape, else a fresh one. */
export function requestIdFrom(value: unknown): string {
  return isRequestId(value) ? value : randomUUID();
}

/** Whether a client's id has the safe shape (opaque, 8–64 of `[A-Za-z0-9._-]`). */
export function isRequestId(value: unknown): value is string {
  return typeof value === 'string' && VALID.test(value);
}

export function withRequestId<T>(requestId: string, work: () => T): T {
  return storage.run({ requestId }, work);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
