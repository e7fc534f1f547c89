/**
 * The client's IP as the per-IP limits see it (handshakes a minute, open sockets).
 *
 * `X-Forwarded-For` is a list every proxy appends its peer to, so only its RIGHTMOST
 * entries, the ones our own proxies wrote, can be believed; anything further left was
 * written by the client. `TRUST_PROXY` says which proxies are ours, with Express's "trust
 * proxy" vocabulary (https://expressjs.com/en/guide/behind-proxies.html), and `proxy-addr`
 * (the library Express uses) walks the chain from the socket leftwards, stopping at the
 * first address that is not a trusted proxy:
 *   - `false` / `0`: trust nobody; the socket's peer is the client (the default).
 *   - `N` (1..MAX_TRUSTED_HOPS): N proxies stand in front of the service; the client is the
 *     N-th address from the right of [socket peer, ...X-Forwarded-For]. Only safe when the
 *     service cannot be reached except through those proxies.
 *   - a comma list of IPs, CIDRs and the names `loopback`, `linklocal`, `uniquelocal`:
 *     only peers in these ranges are proxies; a client that connects directly is never
 *     believed, whatever header it sends.
 * `true` ("the leftmost address") is refused: it lets every client choose its own IP.
 */
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/** More proxies than this in front of one service is a configuration mistake. */
export const MAX_TRUSTED_HOPS = 10;
/** Keeps TRUST_PROXY lists readable; a CIDR covers many addresses. */
const MAX_TRUSTED_ENTRIES = 32;

export type TrustProxy = Readonly<{ mode: 'none' }> | Readonly<{ mode: 'hops'; hops: number }> | Readonly<{ mode: 'addresses'; addresses: readonly string[] }>;

export class TrustProxyError extends Error {
  constructor(readonly expected: string) {
    super(expected);
    this.name = 'TrustProxyError';
  }
}

export const TRUST_PROXY_EXPECTED = `false, a number of proxy hops (1 to ${MAX_TRUSTED_HOPS}), or a comma list of proxy IPs/CIDRs and loopback, linklocal, uniquelocal`;

/** Parses the TRUST_PROXY setting (undefined = not set). Throws TrustProxyError. */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const v = raw?.trim().toLowerCase();
  if (!v || v === 'false' || v === '0') return Object.freeze({ mode: 'none' });
  if (v === 'true') throw new TrustProxyError(`${TRUST_PROXY_EXPECTED} ("true" would let any client choose its IP through X-Forwarded-For)`);
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > MAX_TRUSTED_HOPS) throw new TrustProxyError(TRUST_PROXY_EXPECTED);
    return Object.freeze({ mode: 'hops', hops });
  }
  const addresses = v.split(',').map((s) => s.trim());
  if (addresses.length > MAX_TRUSTED_ENTRIES || addresses.some((a) => a === '')) throw new TrustProxyError(TRUST_PROXY_EXPECTED);
  try {
    proxyAddr.compile(addresses); // throws TypeError on a bad address or range
  } catch {
    throw new TrustProxyError(TRUST_PROXY_EXPECTED);
  }
  return Object.freeze({ mode: 'addresses', addresses: Object.freeze(addresses) });
}

type TrustFn = (addr: string, i: number) => boolean;
/** Compiled once per (frozen) setting, not per request. */
const compiled = new WeakMap<TrustProxy, TrustFn>();

function trustFn(trust: TrustProxy): TrustFn {
  let fn = compiled.get(trust);
  if (!fn) {
    if (trust.mode === 'none') fn = () => false;
    else if (trust.mode === 'hops') {
      const hops = trust.hops;
      // i = 0 is the socket's peer, i = 1 the rightmost X-Forwarded-For entry, ...
      fn = (_addr, i) => i < hops;
    } else fn = proxyAddr.compile([...trust.addresses]);
    compiled.set(trust, fn);
  }
  return fn;
}

/** `::ffff:192.0.2.1` and `192.0.2.1` are one client: count them in one bucket. */
function canonical(ip: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return m ? m[1]! : ip.toLowerCase();
}

/** The client's IP for per-IP limits, following only the proxies TRUST_PROXY names. */
export function clientIp(req: IncomingMessage, trust: TrustProxy): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trust.mode === 'none') return canonical(peer);
  const ip = proxyAddr(req, trustFn(trust));
  // A trusted hop that wrote garbage (or a hop count larger than the real chain lets the
  // client's own entry through as text): never let a non-address open a fresh bucket;
  // count it against the nearest peer we know for sure.
  return isIP(ip) ? canonical(ip) : canonical(peer);
}
