/**
 * `/whatsapp/<installationId>`: the webhook URL the admin page shows (remote/whatsapp.ts).
 *
 * GET: Meta's subscription handshake — the bare challenge when the verify token matches
 * (constant time), else 403.
 * POST: raw body (capped) → X-Hub-Signature-256 on the raw bytes → JSON → schema →
 * processing → 200 once Jira has every message of the delivery. If Jira cannot be reached
 * (after short retries) the answer is 503 and Meta redelivers later, for days: the service
 * may not keep message text anywhere, so Meta's redelivery is what makes an outage lose
 * nothing. Messages already in Jira are skipped on redelivery (deduplicated on Meta's id).
 * Messages of one sender are handled strictly in order, across deliveries too; different
 * senders in parallel. Refusals name their reason; the body is never logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InstallationId } from '../../protocol/ids.js';
import { safeEqual } from '../../protocol/signature.js';
import { ServiceError } from '../errors.js';
import { sendJson } from '../http/body.js';
import { loadWhatsAppSite, type WhatsAppSite } from './credentials.js';
import { createGraphClient, type GraphClient } from './graph.js';
import { handleMessage, type InboundDeps, type MessageOutcome } from './inbound.js';
import { MAX_CHALLENGE_CHARS, MAX_WEBHOOK_BODY_BYTES } from './limits.js';
import { WaDelivery, type WaValue } from './payload.js';
import { HUB_SIGNATURE_HEADER, verifyHubSignature } from './signature.js';
import type { Crypto } from '../crypto.js';
import { describeIssue } from '../../protocol/issues.js';
import type { Params, Route } from '../http/router.js';
import { requestIdOf } from '../request-id.js';

export const WHATSAPP_PATH_PREFIX = '/whatsapp/';

export type WebhookDeps = InboundDeps & { crypto: Crypto };

export interface WhatsAppWebhook {
  /** `GET|POST /whatsapp/:installationId`, for the service's router. */
  readonly routes: readonly Route[];
  /** Resolves when every accepted delivery has been processed (shutdown, tests). */
  idle(): Promise<void>;
  /** Shutdown: pending retries give up now, then idle(). */
  close(): Promise<void>;
}

class TooLarge extends Error {}

function installationIdOf(p: Params): string {
  const id = p.installationId ?? '';
  if (!InstallationId.safeParse(id).success) throw new ServiceError('not_found', 'no such route');
  return id;
}

async function readRaw(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new TooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new TooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function createWhatsAppWebhook(deps: WebhookDeps, opts: { graph?: GraphClient } = {}): WhatsAppWebhook {
  const graph = opts.graph ?? createGraphClient({ baseUrl: deps.config.whatsappGraphUrl });
  const inFlight = new Set<Promise<unknown>>();
  const stopping = new AbortController();
  /** Tail of each sender's queue (key: installationId + sender, memory only). */
  const queues = new Map<string, Promise<unknown>>();

  function enqueue(key: string, job: () => Promise<MessageOutcome>): Promise<MessageOutcome> {
    const next = (queues.get(key) ?? Promise.resolve()).then(job).catch((err): MessageOutcome => {
      deps.log.error('whatsapp.process_failed', { err });
      return 'failed';
    });
    queues.set(key, next);
    void next.then(() => {
      if (queues.get(key) === next) queues.delete(key);
    });
    return next;
  }

  function process(site: WhatsAppSite, values: WaValue[], requestId: string | undefined): Promise<MessageOutcome[]> {
    const jobs: Promise<MessageOutcome>[] = [];
    for (const value of values) {
      if (value.metadata.phone_number_id !== site.phoneNumberId) {
        deps.log.warn('whatsapp.foreign_number', { installationId: site.installationId });
        continue;
      }
      const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name?.trim() || null] as const));
      for (const m of value.messages ?? []) {
        jobs.push(
          enqueue(`${site.installationId}\n${m.from}`, async () => {
            const outcome = await handleMessage(deps, graph, site, m, names.get(m.from) ?? null, { stop: stopping.signal, requestId });
            deps.log.debug('whatsapp.message', { installationId: site.installationId, outcome, requestId });
            return outcome;
          }),
        );
      }
      // Delivery receipts (statuses[]) are not shown anywhere yet: nothing to do.
    }
    return Promise.all(jobs);
  }

  async function verify(req: IncomingMessage, res: ServerResponse, installationId: string): Promise<void> {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    const site = await loadWhatsAppSite(deps, installationId);
    const token = q.get('hub.verify_token') ?? '';
    const challenge = q.get('hub.challenge') ?? '';
    if (!site || q.get('hub.mode') !== 'subscribe' || !safeEqual(token, site.verifyToken) || !challenge || challenge.length > MAX_CHALLENGE_CHARS) {
      deps.log.info('whatsapp.verify_refused', { installationId, configured: site !== null });
      throw new ServiceError('forbidden', 'verification failed');
    }
    deps.log.info('whatsapp.verified', { installationId });
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(challenge);
  }

  async function receive(req: IncomingMessage, res: ServerResponse, installationId: string): Promise<void> {
    let raw: Buffer;
    try {
      raw = await readRaw(req, MAX_WEBHOOK_BODY_BYTES);
    } catch (err) {
      if (err instanceof TooLarge) throw new ServiceError('too_large', `body larger than ${MAX_WEBHOOK_BODY_BYTES} bytes`);
      throw err;
    }
    const site = await loadWhatsAppSite(deps, installationId);
    if (!site) throw new ServiceError('not_configured', 'WhatsApp is not configured for this site');
    const sig = verifyHubSignature(site.appSecret, raw, req.headers[HUB_SIGNATURE_HEADER]);
    if (!sig.ok) {
      deps.log.warn('whatsapp.bad_signature', { installationId, reason: sig.reason });
      throw new ServiceError('bad_signature', `X-Hub-Signature-256 ${sig.reason}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new ServiceError('invalid', 'the body is not JSON');
    }
    const parsed = WaDelivery.safeParse(json);
    if (!parsed.success) {
      // The path is a schema path (e.g. entry.0.changes), never content.
      throw new ServiceError('invalid', describeIssue(parsed.error.issues[0], 'body', 'code'));
    }
    const values = parsed.data.entry.flatMap((e) => e.changes.map((c) => c.value));
    const job = process(site, values, requestIdOf(res));
    inFlight.add(job);
    const outcomes = await job.finally(() => inFlight.delete(job));
    if (outcomes.includes('failed')) throw new ServiceError('unavailable', 'Jira could not be reached; redeliver later');
    sendJson(res, 200, { ok: true });
  }

  return {
    routes: [
      { method: 'GET', path: `${WHATSAPP_PATH_PREFIX}:installationId`, handler: (req, res, p) => verify(req, res, installationIdOf(p)) },
      { method: 'POST', path: `${WHATSAPP_PATH_PREFIX}:installationId`, handler: (req, res, p) => receive(req, res, installationIdOf(p)) },
    ],
    async idle() {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
    async close() {
      stopping.abort();
      await this.idle();
    },
  };
}
