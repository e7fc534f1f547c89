import net from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Drops every open connection and refuses new ones (a network partition). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy tests can cut, to prove how a client behaves while its server is unreachable. */
export function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let isCut = false;
  const server = net.createServer((inbound) => {
    if (isCut) return void inbound.destroy();
    const outbound = net.connect(target.port, target.host);
    for (const s of [inbound, outbound]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (!address || typeof address !== 'object') return reject(new Error('proxy has no address'));
      resolve({
        port: address.port,
        cut() {
          isCut = true;
          for (const s of open) s.destroy();
        },
        restore() {
          isCut = false;
        },
        close() {
          for (const s of open) s.destroy();
          return new Promise((r) => server.close(() => r()));
        },
      });
    });
  });
}
