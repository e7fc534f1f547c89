/**
 * Scheduled triggers, fired on demand (the host keeps no clock-driven schedule: tests and
 * `npm start` call `host.fireScheduledTrigger(key)`), invoked as Forge documents:
 * - https://developer.atlassian.com/platform/forge/function-reference/scheduled-trigger/ :
 *   the handler gets `{context: {cloudId, moduleKey}, contextToken}`; it "must return a
 *   response in the format expected by the platform" (`{statusCode}`), otherwise "the
 *   platform records an error with a status code of 424 Failed dependency".
 * - https://developer.atlassian.com/platform/forge/manifest-reference/modules/scheduled-trigger/ :
 *   "Scheduled triggers run without a user context"; a function that throws "will not be
 *   retried" (it runs again when next due); the default timeout is 55 s.
 */
import { randomBytes } from 'node:crypto';
import { describeError } from './errors.js';

export interface ScheduledOutcome {
  /** The handler's statusCode, 424 for a malformed answer, 500 when it threw. */
  statusCode: number;
}

export async function runScheduled(
  o: { cloudId: string; moduleKey: string; log: (line: string) => void },
  invoke: (request: object) => Promise<unknown>,
): Promise<ScheduledOutcome> {
  // An opaque token: "This value has no meaning to an app."
  const request = { context: { cloudId: o.cloudId, moduleKey: o.moduleKey }, contextToken: randomBytes(24).toString('base64url') };
  let result: unknown;
  try {
    result = await invoke(request);
  } catch (err) {
    o.log(`scheduled trigger ${o.moduleKey} failed: ${describeError(err)}; not retried until next due`);
    return { statusCode: 500 };
  }
  const code = (result as { statusCode?: unknown } | null)?.statusCode;
  if (typeof result !== 'object' || result === null || typeof code !== 'number' || !Number.isInteger(code) || code < 100 || code > 599) {
    o.log(`scheduled trigger ${o.moduleKey} answered without {statusCode}: recorded as 424 Failed dependency`);
    return { statusCode: 424 };
  }
  if (code >= 400) o.log(`scheduled trigger ${o.moduleKey} answered ${code}`);
  return { statusCode: code };
}
