import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { IncomingMessage } from 'node:http';
import { clientIp, parseTrustProxy, TrustProxyError } from './client-ip.js';

function req(peer: string, xff?: string): IncomingMessage {
  return { socket: { remoteAddress: peer }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } } as unknown as IncomingMessage;
}

const T = suite('clientIp');

T('TRUST_PROXY=false: the header is ignored, the peer is the client', () => {
  const t = parseTrustProxy('false');
  assert.is(clientIp(req('203.0.113.9', '1.2.3.4'), t), '203.0.113.9');
  assert.is(clientIp(req('::ffff:203.0.113.9', '1.2.3.4'), t), '203.0.113.9', 'IPv4-mapped counts as IPv4');
});

T('one trusted hop: the entry our proxy appended wins over the one the client sent', () => {
  const t = parseTrustProxy('1');
  // Client 198.51.100.7 sent "X-Forwarded-For: 1.2.3.4"; the load balancer (10.0.0.5) appended the peer.
  assert.is(clientIp(req('10.0.0.5', '1.2.3.4, 198.51.100.7'), t), '198.51.100.7');
  assert.is(clientIp(req('10.0.0.5', '198.51.100.7'), t), '198.51.100.7');
  assert.is(clientIp(req('10.0.0.5'), t), '10.0.0.5', 'no header: the proxy itself');
});

T('two trusted hops: the second-from-right entry', () => {
  const t = parseTrustProxy('2');
  assert.is(clientIp(req('10.0.0.5', '1.2.3.4, 198.51.100.7, 10.0.0.9'), t), '198.51.100.7');
});

T('trusted CIDRs: a direct client is never believed; the walk stops at the first untrusted hop', () => {
  const t = parseTrustProxy('10.0.0.0/8, loopback');
  assert.is(clientIp(req('198.51.100.7', '1.2.3.4'), t), '198.51.100.7', 'direct client, spoofed header');
  assert.is(clientIp(req('10.0.0.5', '1.2.3.4, 198.51.100.7'), t), '198.51.100.7');
  assert.is(clientIp(req('10.0.0.5', '1.2.3.4, 198.51.100.7, 10.1.1.1'), t), '198.51.100.7', 'chained trusted proxies');
  assert.is(clientIp(req('::ffff:127.0.0.1', '198.51.100.7'), t), '198.51.100.7', 'IPv4-mapped peer matches loopback');
  assert.is(clientIp(req('::1', '2001:DB8::1'), t), '2001:db8::1', 'IPv6 lower-cased into one bucket');
});

T('garbage written into the chain never opens a fresh bucket', () => {
  assert.is(clientIp(req('10.0.0.5', 'not-an-ip'), parseTrustProxy('1')), '10.0.0.5');
  assert.is(clientIp(req('10.0.0.5', 'x'.repeat(5000)), parseTrustProxy('uniquelocal')), '10.0.0.5');
  assert.is(clientIp(req('10.0.0.5', 'a, b, 198.51.100.7'), parseTrustProxy('3')), '10.0.0.5');
});

T('parseTrustProxy refuses true, big hop counts, bad addresses and empty entries', () => {
  for (const bad of ['true', '11', 'TRUE', '10.0.0.1/0', '300.1.1.1', 'loopback,', 'somewhere', Array(33).fill('10.0.0.1').join(',')]) {
    assert.throws(
      () => parseTrustProxy(bad),
      (e: unknown) => e instanceof TrustProxyError,
      bad,
    );
  }
});

T.run();
