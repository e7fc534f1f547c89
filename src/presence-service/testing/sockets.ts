/** Plumbing the test proxies share: paired sockets that die together, and a loopback listener. */
import type { Server } from 'node:net';
import type net from 'node:net';

/** Tracks both sockets in `open` and destroys both when either fails. */
export function pairSockets(open: Set<net.Socket>, inbound: net.Socket, outbound: net.Socket): void {
  for (const s of [inbound, outbound]) {
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => {
      inbound.destroy();
      outbound.destroy();
    });
  }
}

/** Listens on 127.0.0.1:0 and resolves with the port and a close() that also drops `open`. */
export function listenLoopback<T extends object>(server: Server, open: Set<net.Socket>, extra: T): Promise<T & { port: number; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (!address || typeof address !== 'object') return reject(new Error('proxy has no address'));
      // Assigned onto `extra`, not spread: its getters (live counters) stay live.
      resolve(
        Object.assign(extra, {
          port: address.port,
          close: () =>
            new Promise<void>((r) => {
              for (const s of open) s.destroy();
              server.close(() => r());
            }),
        }),
      );
    });
  });
}
