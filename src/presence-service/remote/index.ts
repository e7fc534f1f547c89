/**
 * Forge Remote endpoints: `POST /forge/v1/<name>`. Each call: verify the FIT (site and
 * acting user come from it), validate the body with the shared schema, run the handler.
 * Errors are `{ error: { code, message } }` with 400/401/403/404/503.
 */
import { RemoteCalls, REMOTE_PREFIX, type RemoteCallName } from '../../protocol/remote.js';
import type { z } from 'zod';
import type { Ctx } from '../context.js';
import type { FitVerifier } from '../auth/fit.js';
import { ServiceError, toServiceError } from '../errors.js';
import { readJson, sendJson } from '../http/body.js';
import { linkHandlers } from './link.js';
import { configHandlers } from './config.js';
import { presenceHandlers } from './presence.js';
import { relayHandlers } from './relay.js';
import { whatsappHandlers } from './whatsapp.js';
import { whatsappTemplateHandlers } from './whatsapp-templates.js';
import { personalDataHandlers } from './personal-data.js';
import type { RemoteHandler } from './types.js';
import { describeIssue } from '../../protocol/issues.js';
import type { Route } from '../http/router.js';
import { ATTACHMENT_CONTENT_CALL } from '../../protocol/remote-attachments.js';
import { sendAttachmentContent } from './attachment-content.js';

const handlers: { [N in RemoteCallName]: RemoteHandler<N> } = {
  ...linkHandlers,
  ...configHandlers,
  ...presenceHandlers,
  ...relayHandlers,
  ...whatsappHandlers,
  ...whatsappTemplateHandlers,
  ...personalDataHandlers,
};

/**
 * Calls an agent's page makes itself (requestRemote: a frontend FIT naming the user). Every
 * other call is the app's backend speaking after its own permission checks; a page could
 * write any body, so a frontend token is refused there.
 */
const FRONTEND_CALLS: ReadonlySet<RemoteCallName> = new Set(['agent-ticket', 'presence.set']);

function isCall(name: string): name is RemoteCallName {
  return Object.hasOwn(RemoteCalls, name);
}

/** `POST /forge/v1/:name`; the router answers other methods (405) and what a call throws. */
export function remoteRoutes(ctx: Ctx, verifyFit: FitVerifier): Route[] {
  return [
    {
      method: 'POST',
      path: `${REMOTE_PREFIX}/:name`,
      handler: async (req, res, params) => {
        const name = params.name ?? '';
        try {
          // The name is not echoed: it is whatever the caller put in the URL.
          const binary = name === ATTACHMENT_CONTENT_CALL;
          if (!binary && !isCall(name)) throw new ServiceError('not_found', 'no such Forge Remote call');
          const caller = await verifyFit(req.headers.authorization);
          if (binary) {
            // Bytes, not JSON: the app's backend copies a chat file into Jira.
            if (caller.invokedFrom === 'frontend') throw new ServiceError('forbidden', `${name} is for the app's backend; a page may not call it`);
            await sendAttachmentContent(ctx, caller.installationId, await readJson(req, ctx.limits.maxJsonBodyBytes), res);
            ctx.log.info('remote.call', { call: name, installationId: caller.installationId });
            return;
          }
          if (caller.invokedFrom === 'frontend' && !FRONTEND_CALLS.has(name))
            throw new ServiceError('forbidden', `${name} is for the app's backend; a page may not call it`);
          const raw = await readJson(req, ctx.limits.maxJsonBodyBytes);
          const parsed = (RemoteCalls[name].req as z.ZodTypeAny).safeParse(raw ?? {});
          if (!parsed.success) throw new ServiceError('invalid', describeIssue(parsed.error.issues[0], 'body'));
          const result = await (handlers[name] as RemoteHandler<RemoteCallName>)(ctx, caller, parsed.data as never);
          ctx.log.info('remote.call', { call: name, installationId: caller.installationId });
          sendJson(res, 200, result);
        } catch (err) {
          // The router's boundary answers; the call's name is known only here, for the log.
          if (toServiceError(err).code === 'internal') ctx.log.error('remote.failed', { call: name, err });
          throw err instanceof ServiceError ? err : toServiceError(err);
        }
      },
    },
  ];
}
