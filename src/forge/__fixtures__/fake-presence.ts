/**
 * A stand-in presence service for the app's tests: verifies each Forge Remote call's FIT
 * against the Forge host's JWKS (as the real service does), records the call, and
 * answers with RemoteCalls-shaped bodies. Test code only; nothing in the app imports it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { FitClaims } from '../../protocol/remote.js';

export interface RemoteCallRecord {
  name: string;
  body: Record<string, unknown>;
  /** The FIT's principal: set only for frontend (UI module) invocations. */
  accountId: string | undefined;
  /** The FIT's `app.installation.id` (the tenant key). */
  installationId: string;
  /** `app.module.type`: `core:endpoint` for calls from the app's backend. */
  moduleType: string;
}

export interface FakePresence {
  url: string;
  calls: RemoteCallRecord[];
  secret: string | null;
  callsTo(name: string): RemoteCallRecord[];
  setJwks(jwksUrl: string, appId: string): void;
  /** The next `times` calls to `name` answer 503 (a service outage). */
  failNext(name: string, times: number): void;
  /** Answer `name` with this instead of the default (null/undefined = default again). */
  answerWith(name: string, fn: ((body: Record<string, unknown>) => unknown) | null): void;
  /** Files the service holds, by attachment id, served by attachment-content (bytes, not JSON). */
  files: Map<string, { conversationId: string; name: string; mime: string; bytes: Buffer }>;
  close(): Promise<void>;
}

const now = () => new Date().toISOString();

export function sampleConfig(projectKey: string) {
  const ids: Record<string, { projectId: string; serviceDeskId: string; requestTypeId: string }> = {
    SUP: { projectId: '10000', serviceDeskId: '1', requestTypeId: '10' },
    HR: { projectId: '10001', serviceDeskId: '2', requestTypeId: '20' },
  };
  const i = ids[projectKey];
  if (!i) return null;
  return {
    projectKey,
    ...i,
    enabled: true,
    widgetId: `w_${projectKey}widget0001`,
    allowedOrigins: ['https://shop.example'],
    widget: {
      teamName: 'Support',
      color: '#0052CC',
      position: 'right',
      greeting: 'Hi',
      offlineText: 'Away',
      locale: 'auto',
      requireName: true,
      requireEmail: true,
      prechatFields: [],
      attachments: true,
    },
    widgetShows: 'always',
    hoursZone: 'project',
    schedule: null,
    verification: 'off',
    hasIdentitySecret: false,
    updatedAt: now(),
  };
}

export async function startFakePresence(): Promise<FakePresence> {
  let jwks: ReturnType<typeof createRemoteJWKSet> | null = null;
  let audience = '';
  const failures = new Map<string, number>();
  const overrides = new Map<string, (body: Record<string, unknown>) => unknown>();
  const state: FakePresence = {
    url: '',
    calls: [],
    secret: null,
    files: new Map(),
    callsTo: (name) => state.calls.filter((c) => c.name === name),
    setJwks(jwksUrl, appId) {
      jwks = createRemoteJWKSet(new URL(jwksUrl));
      audience = `ari:cloud:ecosystem::app/${appId}`;
    },
    failNext(name, times) {
      failures.set(name, times);
    },
    answerWith(name, fn) {
      if (fn) overrides.set(name, fn);
      else overrides.delete(name);
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };

  function answer(name: string, body: Record<string, unknown>, accountId: string | undefined): [number, unknown] {
    switch (name) {
      case 'link':
        state.secret = randomBytes(32).toString('hex');
        return [200, { secret: state.secret, linkedAt: now(), publicUrl: state.url }];
      case 'status':
        return [200, { ok: true, version: 'fake-1', linked: state.secret !== null, store: 'embedded', blobs: 'disk', analytics: false, publicUrl: state.url }];
      case 'project-config.get':
        return [200, { config: sampleConfig(String(body['projectKey'])) }];
      case 'project-config.put':
        return [200, { config: { ...(body['config'] as object), widgetId: 'w_savedwidget01', hasIdentitySecret: false, updatedAt: now() } }];
      case 'presence.get':
        return [200, { agents: [], availability: { state: 'offline', visible: true, nextOpenAt: null } }];
      case 'presence.set':
        return [
          200,
          {
            agent: {
              accountId: String(body['accountId'] ?? accountId),
              status: body['status'],
              available: false,
              lastSeen: null,
              forcedOffline: body['forced'] === true,
            },
          },
        ];
      case 'customer-presence':
        return [200, { presence: {} }];
      case 'relay':
        return [200, { delivered: 1 }];
      case 'conversation-activity':
        return [200, { ok: true }];
      case 'agent-ticket':
        return [
          200,
          { ticket: randomBytes(24).toString('base64url'), url: 'ws://127.0.0.1:1/ws/agent', expiresAt: new Date(Date.now() + 60_000).toISOString() },
        ];
      case 'attachment-url':
        return [200, { url: `${state.url}/files/${String(body['attachmentId'])}?sig=x`, expiresAt: new Date(Date.now() + 300_000).toISOString() }];
      case 'agent-schedule.get':
        return [200, { schedule: null }];
      case 'agent-schedule.put':
        return [200, { schedule: body['schedule'] ?? null }];
      case 'project-config.rotate-secret':
        return [200, { secret: 'fresh-identity-secret' }];
      case 'whatsapp.get':
        return [200, { configured: false, projectKey: null, phoneNumberId: null, webhookUrl: `${state.url}/whatsapp/webhook` }];
      case 'whatsapp.put':
        return [200, { configured: true, webhookUrl: `${state.url}/whatsapp/webhook` }];
      case 'settings.put':
        return [200, { analytics: body['analytics'] }];
      default:
        return [404, { error: { code: 'not_found', message: `no call ${name}` } }];
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const name = (req.url ?? '').replace(/^\/forge\/v1\//, '');
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!jwks) return send(503, { error: { code: 'not_ready', message: 'no JWKS yet' } });
    let claims;
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer: 'forge/invocation-token', audience, algorithms: ['RS256'] });
      claims = FitClaims.parse(payload);
    } catch {
      return send(401, { error: { code: 'bad_fit', message: 'FIT did not verify' } });
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    // As the real service: only a frontend invocation speaks for a user.
    const accountId = claims.app.module.type === 'core:endpoint' ? undefined : claims.principal;
    state.calls.push({ name, body, accountId, installationId: claims.app.installation.id, moduleType: claims.app.module.type });
    const left = failures.get(name) ?? 0;
    if (left > 0) {
      failures.set(name, left - 1);
      return send(503, { error: { code: 'unavailable', message: 'outage' } });
    }
    if (name === 'attachment-content') {
      const f = state.files.get(String(body['attachmentId']));
      if (!f || f.conversationId !== body['conversationId'])
        return send(404, { error: { code: 'not_found', message: 'no such attachment in this conversation' } });
      res.writeHead(200, { 'content-type': f.mime, 'content-length': String(f.bytes.length), 'x-attachment-name': encodeURIComponent(f.name) });
      return void res.end(f.bytes);
    }
    const override = overrides.get(name);
    const [status, out] = override ? [200, override(body)] : answer(name, body, accountId);
    send(status, out);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
