/**
 * The app's webtrigger as the presence service sees it: checks the signature with the
 * link secret and answers per src/protocol/webtrigger.ts. Behaviour switches (slow,
 * down) let tests show when acks happen. Like the app (src/forge/lib/idempotency.ts),
 * writes are idempotent by clientMsgId and bound to the caller: a replay answers only the
 * same caller key or the same customer; anyone else gets 403.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InboundCall } from '../../protocol/webtrigger.js';
import { verify, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../protocol/signature.js';
import { handled } from '../../../scripts/testing/http.js';

export interface FakeApp {
  url: string;
  secret: string | null;
  /** conversationId -> customer accountId */
  owners: Map<string, string>;
  /** customer accountId -> display name, as Jira would hold it */
  names: Map<string, string>;
  /** clientMsgId -> who wrote it and the first answer */
  written: Map<string, { caller: string; customerAccountId: string; conversationId: string; answer: unknown }>;
  /** When set, answers conversation.start with this (a misbehaving app), bypassing everything else. */
  startAnswer: ((call: Extract<InboundCall, { type: 'conversation.start' }>) => unknown) | null;
  calls: InboundCall[];
  /** The X-Request-Id header of each call, in order ('' when absent). */
  requestIds: string[];
  badSignatures: number;
  /** When set, every call waits for this promise first. */
  gate: Promise<void> | null;
  /** Called when a call starts waiting at the gate (it is then in flight at the service). */
  onGate: (() => void) | null;
  /** When set, only the calls it picks wait at the gate. */
  gateOnly: ((call: InboundCall) => boolean) | null;
  down: boolean;
  /** Calls answered 503 because `down` was set (a test ends an outage once the service has met it). */
  refusedWhileDown: number;
  /** Automatic assignment: conversationId -> the agent the app made assignee. */
  assigned: Map<string, string>;
  /** When set, decides an `assign` call (default: assigned). */
  assignAnswer: ((call: Extract<InboundCall, { type: 'assign' }>) => boolean | Promise<boolean>) | null;
  close(): Promise<void>;
}

const NOT_YOURS = { error: { code: 'forbidden', message: 'this message id belongs to another conversation' } };

export async function fakeApp(projectKey = 'SUP'): Promise<FakeApp> {
  let seq = 0;
  let customerSeq = 0;
  const app: FakeApp = {
    url: '',
    secret: null,
    owners: new Map(),
    names: new Map(),
    written: new Map(),
    startAnswer: null,
    calls: [],
    requestIds: [],
    badSignatures: 0,
    gate: null,
    onGate: null,
    gateOnly: null,
    down: false,
    refusedWhileDown: 0,
    assigned: new Map(),
    assignAnswer: null,
    close: async () => {},
  };
  const server: Server = createServer(
    handled(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const sig = verify({
        secret: app.secret ?? '',
        rawBody: raw,
        signature: req.headers[SIGNATURE_HEADER] as string,
        timestamp: req.headers[TIMESTAMP_HEADER] as string,
      });
      if (!app.secret || !sig.ok) {
        app.badSignatures++;
        return answer(401, { error: { code: 'bad_signature', message: 'bad signature' } });
      }
      const call = InboundCall.parse(JSON.parse(raw));
      if (app.gate && (!app.gateOnly || app.gateOnly(call))) {
        app.onGate?.();
        await app.gate;
      }
      if (app.down) {
        app.refusedWhileDown++;
        return answer(503, { error: { code: 'jira_error', message: 'Jira is down' } });
      }
      app.calls.push(call);
      app.requestIds.push(String(req.headers['x-request-id'] ?? ''));
      const at = new Date().toISOString();
      switch (call.type) {
        case 'ping':
          return answer(200, { ok: true, appVersion: 'test' });
        case 'conversation.start': {
          if (app.startAnswer) return answer(200, app.startAnswer(call));
          const seen = app.written.get(call.clientMsgId);
          if (seen) {
            if (seen.caller !== call.caller && seen.customerAccountId !== call.customer.accountId) return answer(403, NOT_YOURS);
            return answer(200, seen.answer);
          }
          const conversationId = `${call.projectKey || projectKey}-${app.owners.size + 1}`;
          const accountId = call.customer.accountId ?? `cust-${++customerSeq}`;
          app.owners.set(conversationId, accountId);
          if (call.customer.name && !app.names.has(accountId)) app.names.set(accountId, call.customer.name);
          const first = { conversationId, issueId: String(10000 + app.owners.size), customerAccountId: accountId, messageId: String(++seq), at };
          app.written.set(call.clientMsgId, { caller: call.caller, customerAccountId: accountId, conversationId, answer: first });
          return answer(200, first);
        }
        case 'message.customer': {
          const seen = app.written.get(call.clientMsgId);
          if (seen) {
            if ((seen.caller !== call.caller && seen.customerAccountId !== call.customerAccountId) || seen.conversationId !== call.conversationId)
              return answer(403, NOT_YOURS);
            return answer(200, seen.answer);
          }
          if (app.owners.get(call.conversationId) !== call.customerAccountId) return answer(403, { error: { code: 'forbidden', message: 'not yours' } });
          const first = { messageId: String(++seq), at };
          app.written.set(call.clientMsgId, {
            caller: call.caller,
            customerAccountId: call.customerAccountId,
            conversationId: call.conversationId,
            answer: first,
          });
          return answer(200, first);
        }
        case 'history':
          if (!app.owners.has(call.conversationId)) return answer(404, { error: { code: 'not_found', message: 'no such' } });
          if (call.customerAccountId && app.owners.get(call.conversationId) !== call.customerAccountId)
            return answer(403, { error: { code: 'forbidden', message: 'not yours' } });
          return answer(200, { messages: [], hasMore: false });
        case 'assign': {
          const assigned = app.assignAnswer ? await app.assignAnswer(call) : true;
          if (assigned) app.assigned.set(call.conversationId, call.accountId);
          return answer(200, { assigned });
        }
        case 'usage':
          return answer(200, { recorded: true });
        case 'feedback':
          if (app.owners.get(call.conversationId) !== call.customerAccountId) return answer(403, { error: { code: 'forbidden', message: 'not yours' } });
          return answer(200, { ok: true });
        case 'conversations.list':
          return answer(200, {
            conversations: [...app.owners].filter(([, a]) => a === call.customerAccountId).map(([id]) => ({ id, status: 'open', updated: at })),
            ...(app.names.has(call.customerAccountId) ? { customerName: app.names.get(call.customerAccountId) } : {}),
          });
      }
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  app.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webtrigger`;
  app.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return app;
}
