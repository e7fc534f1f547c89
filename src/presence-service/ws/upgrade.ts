/**
 * The WebSocket handshake gate: path, per-IP handshake rate (token bucket) and socket cap
 * (per instance, in memory: ip-limits.ts), and the Origin allowlist when the widget names
 * itself in the query (?widgetId=). Refusals are plain HTTP answers. While the store is
 * unreachable the Origin check is skipped: nothing works without it, and the first frame
 * then fails with `unavailable` (and re-checks the origin).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WidgetId } from '../../protocol/ids.js';
import type { Ctx } from '../context.js';
import type { IpLimits } from './ip-limits.js';
import { clientIp } from '../http/client-ip.js';
import { originAllowed } from './origin.js';
import { ServiceError, type ServiceErrorCode } from '../errors.js';

export type UpgradeVerdict = { ok: true; kind: 'customer' | 'agent'; ip: string } | { ok: false; error: ServiceError };

const no = (code: ServiceErrorCode, message: string): UpgradeVerdict => ({ ok: false, error: new ServiceError(code, message) });

export async function admitUpgrade(ctx: Ctx, ipLimits: IpLimits, req: IncomingMessage): Promise<UpgradeVerdict> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const kind = url.pathname === '/ws/customer' ? 'customer' : url.pathname === '/ws/agent' ? 'agent' : null;
  if (!kind) return no('not_found', 'no WebSocket endpoint here');
  const ip = clientIp(req, ctx.config.trustProxy);
  if (!ipLimits.handshake(ip)) return no('rate_limited', 'too many connection attempts');
  if (ipLimits.full(ip)) return no('rate_limited', 'too many open connections');
  try {
    const widgetId = url.searchParams.get('widgetId');
    if (kind === 'customer' && widgetId !== null) {
      if (!WidgetId.safeParse(widgetId).success) return no('invalid', 'malformed widgetId');
      const ref = await ctx.projects.widget(widgetId);
      const config = ref ? await ctx.projects.get(ref.installationId, ref.projectKey) : null;
      if (!config) return no('not_found', 'unknown widget');
      if (!originAllowed(req.headers.origin, config.allowedOrigins)) return no('origin_not_allowed', 'origin not allowed');
    }
  } catch (err) {
    // Store down: let the socket open so the client hears `unavailable` on its first frame
    // (which needs the store and re-checks the origin) rather than a bare HTTP error.
    ctx.log.warn('ws.upgrade_store_failed', { err });
  }
  return { ok: true, kind, ip };
}

/** A plain HTTP answer on the raw socket: the error's status, its message as the reason phrase, its JSON body. */
export function refuse(socket: Duplex, err: ServiceError): void {
  const body = JSON.stringify(err.toBody());
  socket.end(
    `HTTP/1.1 ${err.status} ${err.message}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
