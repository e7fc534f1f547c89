import net from 'node:net';
import { listenLoopback, pairSockets } from './sockets.js';

export interface TcpProxy {
  readonly port: number;
  /** Drops every open connection and refuses new ones (a network partition). */
  cut(): void;
  restore(): void;
  /** Connections refused while cut (a client's reconnect attempts). */
  readonly refused: number;
  close(): Promise<void>;
}

/** A loopback TCP proxy tests can cut, to prove how a client behaves while its server is unreachable. */
export function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let isCut = false;
  let refused = 0;
  const server = net.createServer((inbound) => {
    if (isCut) {
      refused++;
      return void inbound.destroy();
    }
    const outbound = net.connect(target.port, target.host);
    pairSockets(open, inbound, outbound);
    inbound.pipe(outbound).pipe(inbound);
  });
  return listenLoopback<Pick<TcpProxy, 'cut' | 'restore' | 'refused'>>(server, open, {
    cut() {
      isCut = true;
      for (const s of open) s.destroy();
    },
    restore() {
      isCut = false;
    },
    get refused() {
      return refused;
    },
  });
}
