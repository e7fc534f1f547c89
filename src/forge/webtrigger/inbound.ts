/**
 * The `inbound` webtrigger: calls from the presence service.
 * Signature first (raw body, constant time, replay window), then JSON, then the
 * InboundCall schema, then dispatch. Every outcome is an HTTP answer: the handler never
 * throws, because a thrown error would reach the caller as an opaque platform 500.
 */
import { InboundCall, type WebtriggerError } from '../../protocol/webtrigger.js';
import { AppError, describeIssues } from '../lib/errors.js';
import { JiraError } from '../lib/jira.js';
import { APP_VERSION, linkSecrets } from '../lib/link.js';
import { checkSignature } from './auth.js';
import { history, listConversations } from './history.js';
import { assignChat } from './assign.js';
import { recordFeedback } from './feedback.js';
import { recordUsage } from './usage.js';
import { customerMessage } from './message.js';
import { startConversation } from './start.js';

export interface WebtriggerRequest {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string[] | string | undefined>;
  queryParameters?: Record<string, string[]>;
}
export interface WebtriggerResponse {
  statusCode: number;
  headers: Record<string, string[]>;
  body: string;
}

type ErrorCode = WebtriggerError['error']['code'];

function answer(statusCode: number, body: unknown): WebtriggerResponse {
  return { statusCode, headers: { 'Content-Type': ['application/json'], 'Cache-Control': ['no-store'] }, body: JSON.stringify(body) };
}

function fail(statusCode: number, code: ErrorCode, message: string): WebtriggerResponse {
  return answer(statusCode, { error: { code, message } } satisfies WebtriggerError);
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The presence service's X-Request-Id (the widget visit or socket that caused this call), for our log lines. */
function requestIdOf(headers: WebtriggerRequest['headers']): string {
  const v = headers?.['x-request-id'] ?? headers?.['X-Request-Id'];
  const id = Array.isArray(v) ? v[0] : v;
  return typeof id === 'string' && REQUEST_ID.test(id) ? id : '-';
}

function failFrom(e: unknown, requestId: string): WebtriggerResponse {
  if (e instanceof JiraError) {
    if (e.jiraStatus === 404) return fail(404, 'not_found', e.message);
    // Rate limited beyond our backoff: 503, so the presence service retries later.
    if (e.jiraStatus === 429) return fail(503, 'jira_error', e.message);
    return fail(502, 'jira_error', e.message);
  }
  if (e instanceof AppError) {
    switch (e.code) {
      case 'invalid':
      case 'forbidden':
      case 'not_found':
      case 'not_configured':
        return fail(e.status, e.code, e.message);
      case 'not_linked':
        return fail(503, 'not_configured', e.message);
      case 'busy':
        // 5xx: the presence service treats it as "unavailable, retry", which is what it is.
        return fail(503, 'internal', e.message);
      default:
        return fail(502, 'internal', e.message);
    }
  }
  // Unknown failures: no detail to the caller (it could hold anything); the log gets the type only.
  console.error('inbound: unexpected failure', e instanceof Error ? e.name : typeof e, `request ${requestId}`);
  return fail(500, 'internal', 'internal error');
}

export async function handleInbound(req: WebtriggerRequest, nowMs = Date.now()): Promise<WebtriggerResponse> {
  try {
    if ((req.method ?? 'POST').toUpperCase() !== 'POST') return fail(400, 'invalid', 'only POST is accepted');
    const rawBody = typeof req.body === 'string' ? req.body : '';
    const denied = checkSignature({ secrets: await linkSecrets(nowMs), rawBody, headers: req.headers, nowMs });
    if (denied) return fail(denied.code === 'not_configured' ? 503 : 401, denied.code, denied.message);

    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      return fail(400, 'invalid', 'the body is not JSON');
    }
    const parsed = InboundCall.safeParse(json);
    if (!parsed.success) return fail(400, 'invalid', describeIssues(parsed.error.issues));
    const call = parsed.data;
    switch (call.type) {
      case 'ping':
        return answer(200, { ok: true, appVersion: APP_VERSION });
      case 'conversation.start':
        return answer(200, await startConversation(call, nowMs));
      case 'message.customer':
        return answer(200, await customerMessage(call));
      case 'history':
        return answer(200, await history(call));
      case 'conversations.list':
        return answer(200, await listConversations(call));
      case 'feedback':
        return answer(200, await recordFeedback(call));
      case 'assign':
        return answer(200, await assignChat(call));
      case 'usage':
        return answer(200, await recordUsage(call));
    }
  } catch (e) {
    return failFrom(e, requestIdOf(req.headers));
  }
}

/** The Forge webtrigger handler (manifest: function inbound-fn). */
export async function inbound(req: WebtriggerRequest): Promise<WebtriggerResponse> {
  return handleInbound(req);
}
