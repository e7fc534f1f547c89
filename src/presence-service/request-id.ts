/**
 * Request ids: one id follows a piece of work from the widget (header on uploads, `rid`
 * query parameter on the socket, which browsers cannot give headers) through the service's
 * logs to the app's webtrigger (X-Request-Id). An id is an opaque random token chosen by the
 * client: never a name, email or message content.
 *
 * Passed by hand, not through AsyncLocalStorage: on Node 20 an active AsyncLocalStorage runs
 * a hook for every promise the process creates, which cost each customer message about a
 * tenth of the service's CPU (docs/performance.md). A socket knows its id (ws/connection.ts);
 * an HTTP request's id is on its response (server.ts sets it first).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
export const REQUEST_ID_QUERY = 'rid';
const VALID = /^[A-Za-z0-9._-]{8,64}$/;

/** The caller's id when it has a safe shape, else a fresh one. */
export function requestIdFrom(value: unknown): string {
  return isRequestId(value) ? value : randomUUID();
}

/** Whether a client's id has the safe shape (opaque, 8–64 of `[A-Za-z0-9._-]`). */
export function isRequestId(value: unknown): value is string {
  return typeof value === 'string' && VALID.test(value);
}

/** The id server.ts gave this HTTP request (it sets the response header before any route runs). */
export function requestIdOf(res: ServerResponse): string | undefined {
  const id = res.getHeader(REQUEST_ID_HEADER);
  return typeof id === 'string' ? id : undefined;
}
