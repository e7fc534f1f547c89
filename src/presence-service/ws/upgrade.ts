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

export type UpgradeVerdict = { ok: true; kind: 'customer' | 'agent'; ip: string } | { ok: false; status: number; reason: string };

export async function admitUpgrade(ctx: Ctx, ipLimits: IpLimits, req: IncomingMessage): Promise<UpgradeVerdict> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const kind = url.pathname === '/ws/customer' ? 'customer' : url.pathname === '/ws/agent' ? 'agent' : null;
  if (!kind) return { ok: false, status: 404, reason: 'no WebSocket endpoint here' };
  const ip = clientIp(req, ctx.config.trustProxy);
  if (!ipLimits.handshake(ip)) return { ok: false, status: 429, reason: 'too many connection attempts' };
  if (ipLimits.full(ip)) return { ok: false, status: 429, reason: 'too many open connections' };
  try {
    const widgetId = url.searchParams.get('widgetId');
    if (kind === 'customer' && widgetId !== null) {
      if (!WidgetId.safeParse(widgetId).success) return { ok: false, status: 400, reason: 'malformed widgetId' };
      const ref = await ctx.projects.widget(widgetId);
      const config = ref ? await ctx.projects.get(ref.installationId, ref.projectKey) : null;
      if (!config) return { ok: false, status: 404, reason: 'unknown widget' };
      if (!originAllowed(req.headers.origin, config.allowedOrigins)) return { ok: false, status: 403, reason: 'origin not allowed' };
    }
  } catch (err) {
    // Store down: let the socket open so the client hears `unavailable` on its first frame
    // (which needs the store and re-checks the origin) rather than a bare HTTP error.
    ctx.log.warn('ws.upgrade_store_failed', { err });
  }
  return { ok: true, kind, ip };
}

export function refuse(socket: Duplex, status: number, reason: string): void {
  const body = JSON.stringify({ error: { code: status === 403 ? 'origin_not_allowed' : status === 429 ? 'rate_limited' : 'refused', message: reason } });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
