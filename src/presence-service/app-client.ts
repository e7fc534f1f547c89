/**
 * Calls to the app's webtrigger (presence service -> Forge): signed JSON POSTs to the
 * URL stored at link time. Errors are mapped to what a client can act on: the app or
 * Jira being away is `unavailable` (retry), a refusal is `invalid`/`forbidden`/`not_found`.
 * Bodies carry message text, so they are never logged.
 */
import { currentRequestId, REQUEST_ID_HEADER } from './request-id.js';
import { InboundCall, InboundResponse, WebtriggerError, type InboundCallType, type InboundResponseOf } from '../protocol/webtrigger.js';
import { signedHeaders } from '../protocol/signature.js';
import type { z } from 'zod';
import { ServiceError } from './errors.js';
import type { Logger } from './log.js';
import type { LinkStore } from './links.js';

export const APP_TIMEOUT_MS = 15_000;

export type AppCallInput = z.input<typeof InboundCall>;

/** The id of the work that caused this call (request-id.ts), so the app's logs can be matched to ours. */
function withRequestIdHeader(headers: Record<string, string>): Record<string, string> {
  const id = currentRequestId();
  return id ? { ...headers, [REQUEST_ID_HEADER]: id } : headers;
}

export interface AppClient {
  call<T extends InboundCallType>(installationId: string, call: Extract<AppCallInput, { type: T }>): Promise<InboundResponseOf<T>>;
}

export function createAppClient(deps: { links: LinkStore; fetch?: typeof fetch; log: Logger; timeoutMs?: number; clock?: () => number }): AppClient {
  const doFetch = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? APP_TIMEOUT_MS;
  const now = deps.clock ?? Date.now;
  return {
    async call<T extends InboundCallType>(installationId: string, call: Extract<AppCallInput, { type: T }>): Promise<InboundResponseOf<T>> {
      const link = await deps.links.get(installationId);
      if (!link) throw new ServiceError('unavailable', 'this site is not linked to the app yet', true);
      const raw = JSON.stringify(call);
      let res: Response;
      const started = now();
      try {
        res = await doFetch(link.webtriggerUrl, {
          method: 'POST',
          headers: withRequestIdHeader(signedHeaders(link.secret, raw, now())),
          body: raw,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        deps.log.warn('app.unreachable', { installationId, call: call.type, err: (err as Error).name });
        throw new ServiceError('unavailable', 'the Jira app cannot be reached; try again shortly', true);
      }
      const json: unknown = await res.json().catch(() => null);
      deps.log.debug('app.call', { installationId, call: call.type, status: res.status, ms: now() - started });
      if (res.ok) {
        const parsed = (InboundResponse[call.type] as z.ZodTypeAny).safeParse(json);
        if (parsed.success) return parsed.data as InboundResponseOf<T>;
        deps.log.warn('app.bad_response', { installationId, call: call.type });
        throw new ServiceError('unavailable', 'the Jira app answered in an unexpected shape', true);
      }
      const err = WebtriggerError.safeParse(json);
      const code = err.success ? err.data.error.code : null;
      deps.log.info('app.refused', { installationId, call: call.type, status: res.status, code });
      // The app's reason is ours to show (it names no data: e.g. "this message id belongs to another conversation").
      if (code === 'forbidden' || res.status === 403) throw new ServiceError('forbidden', err.success ? err.data.error.message.slice(0, 200) : 'not allowed for this customer', false);
      if (code === 'not_found' || res.status === 404) throw new ServiceError('not_found', 'no such conversation', false);
      if (code === 'invalid' || res.status === 400 || res.status === 422) throw new ServiceError('invalid', err.success ? err.data.error.message : 'the app refused the request', false);
      throw new ServiceError('unavailable', 'Jira or the app is unavailable; try again shortly', true);
    },
  };
}
