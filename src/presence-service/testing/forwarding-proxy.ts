import { createServer, type IncomingMessage } from 'node:http';
import net from 'node:net';
import { listenLoopback, pairSockets } from './sockets.js';

export interface ForwardingProxy {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A reverse proxy for WebSocket upgrades that behaves like a load balancer: it APPENDS its
 * peer's address to whatever `X-Forwarded-For` the client sent (as nginx's
 * `$proxy_add_x_forwarded_for` and AWS ALBs do) and connects to the service from
 * `localAddress`. Tests use it to prove that a client's own header cannot choose its IP.
 */
export function startForwardingProxy(target: { host: string; port: number }, localAddress = '127.0.0.1'): Promise<ForwardingProxy> {
  const open = new Set<net.Socket>();
  const server = createServer((_req, res) => res.writeHead(501).end());
  server.on('upgrade', (req: IncomingMessage, inbound: net.Socket, head: Buffer) => {
    const peer = inbound.remoteAddress ?? 'unknown';
    const prior = req.headers['x-forwarded-for'];
    const xff = [prior].flat().filter(Boolean).concat(peer).join(', ');
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      if (req.rawHeaders[i]!.toLowerCase() !== 'x-forwarded-for') lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    }
    lines.push(`X-Forwarded-For: ${xff}`);
    const outbound = net.connect({ host: target.host, port: target.port, localAddress });
    pairSockets(open, inbound, outbound);
    outbound.once('connect', () => {
      outbound.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length) outbound.write(head);
      inbound.pipe(outbound).pipe(inbound);
    });
  });
  return listenLoopback(server, open, {});
}
