/**
 * Spoofed X-Forwarded-For through the real WebSocket upgrade path: clients reach the
 * service through a proxy that appends their address (as a load balancer does), each
 * client from its own loopback address (127.0.0.2, 127.0.0.3), and send their own
 * `X-Forwarded-For` to try to pick a fresh per-IP bucket or spend a victim's.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from '../testing/harness.js';
import { connect, type TestClient } from '../testing/client.js';
import { startForwardingProxy, type ForwardingProxy } from '../testing/index.js';

const ATTACKER = '127.0.0.2';
const VICTIM = '127.0.0.3';
const SOCKETS_PER_IP = 3;
const HANDSHAKES_PER_MIN = 6;

function attempt(url: string, localAddress: string, spoof?: string): Promise<TestClient | string> {
  return connect(url, { localAddress, ...(spoof ? { headers: { 'X-Forwarded-For': spoof } } : {}) }).catch((e: Error) => e.message);
}

/** Each test uses its own client addresses, so no test waits for another's sockets to be counted out. */
async function closeAll(sockets: (TestClient | string)[]): Promise<void> {
  for (const s of sockets) if (typeof s !== 'string') await s.close();
}

function setup(name: string, trustProxy: string, limits: { socketsPerIp: number; handshakesPerIpPerMin: number }) {
  const S = suite<{ h: Harness; proxy: ForwardingProxy; viaProxy: string; direct: string }>(name);
  S.before(async (ctx) => {
    ctx.h = await startHarness({ env: { TRUST_PROXY: trustProxy }, limits });
    const port = Number(new URL(ctx.h.service.url).port);
    ctx.proxy = await startForwardingProxy({ host: '127.0.0.1', port }, '127.0.0.1');
    ctx.viaProxy = `ws://127.0.0.1:${ctx.proxy.port}/ws/agent`;
    ctx.direct = `${ctx.h.service.wsUrl}/ws/agent`;
  });
  S.after(async (ctx) => {
    await ctx.proxy.close();
    await ctx.h.close();
  });
  return S;
}

// ---- one trusted hop (TRUST_PROXY=1) -------------------------------------------------
const Hop = setup('TRUST_PROXY=1: behind one load balancer', '1', { socketsPerIp: SOCKETS_PER_IP, handshakesPerIpPerMin: 100 });

Hop('a client that sends its own X-Forwarded-For still counts as its real IP for the socket cap', async ({ viaProxy }) => {
  const open: (TestClient | string)[] = [];
  for (let i = 0; i < SOCKETS_PER_IP; i++) open.push(await attempt(viaProxy, ATTACKER, `1.2.3.${i + 4}`));
  assert.ok(
    open.every((s) => typeof s !== 'string'),
    `admitted up to the cap: ${open.filter((s) => typeof s === 'string')}`,
  );
  // A fresh spoofed address, and the victim's: neither opens a new bucket for the attacker.
  assert.is(await attempt(viaProxy, ATTACKER, '1.2.3.99'), 'HTTP 429');
  assert.is(await attempt(viaProxy, ATTACKER, VICTIM), 'HTTP 429');
  // The victim is counted on its own IP and was not spent by the attacker naming it.
  const victim = await attempt(viaProxy, VICTIM);
  assert.ok(typeof victim !== 'string', `victim admitted: ${String(victim)}`);
  await closeAll([...open, victim]);
});

Hop("spoofing the victim's IP cannot fill the victim's socket cap", async ({ viaProxy }) => {
  const [attacker, victimIp] = ['127.0.0.6', '127.0.0.7'];
  const spent: (TestClient | string)[] = [];
  for (let i = 0; i < SOCKETS_PER_IP + 1; i++) spent.push(await attempt(viaProxy, attacker, victimIp));
  assert.is(spent.filter((s) => typeof s === 'string').length, 1, 'the attacker hits its own cap');
  const victim = await attempt(viaProxy, victimIp);
  assert.ok(typeof victim !== 'string', 'victim admitted');
  await closeAll([...spent, victim]);
});

Hop.run();

// ---- trusted proxy address (TRUST_PROXY=127.0.0.1) ---------------------------------------
const Cidr = setup('TRUST_PROXY=<proxy address>: handshake rate', '127.0.0.1/32', { socketsPerIp: 100, handshakesPerIpPerMin: HANDSHAKES_PER_MIN });

Cidr('rotating spoofed X-Forwarded-For values does not escape the per-IP handshake rate', async ({ viaProxy }) => {
  const results: (TestClient | string)[] = [];
  for (let i = 0; i < HANDSHAKES_PER_MIN + 2; i++) results.push(await attempt(viaProxy, ATTACKER, `198.51.100.${i}, 10.0.0.${i}`));
  assert.equal(
    results.map((r) => (typeof r === 'string' ? r : 'open')),
    [...Array(HANDSHAKES_PER_MIN).fill('open'), 'HTTP 429', 'HTTP 429'],
  );
  const victim = await attempt(viaProxy, VICTIM);
  assert.ok(typeof victim !== 'string', 'another client behind the same proxy still connects');
  await closeAll([...results, victim]);
});

Cidr('a client that reaches the service directly is not a trusted proxy: its header is ignored', async ({ direct }) => {
  // A fresh address of its own (the one-handshake-per-test budget of the others is spent).
  const CLIENT = '127.0.0.4';
  const results: (TestClient | string)[] = [];
  for (let i = 0; i < HANDSHAKES_PER_MIN + 1; i++) results.push(await attempt(direct, CLIENT, `203.0.113.${i}`));
  assert.is(results.filter((r) => r === 'HTTP 429').length, 1);
  await closeAll(results);
});

Cidr.run();

// ---- no proxy trusted (the default) ---------------------------------------------------------
const None = setup('TRUST_PROXY=false', 'false', { socketsPerIp: 100, handshakesPerIpPerMin: 2 });

None("the header is ignored and every client behind the proxy shares the proxy's IP", async ({ viaProxy }) => {
  const a = await attempt(viaProxy, ATTACKER, '1.2.3.4');
  const b = await attempt(viaProxy, VICTIM, '5.6.7.8');
  assert.is(await attempt(viaProxy, '127.0.0.5', '9.9.9.9'), 'HTTP 429');
  await closeAll([a, b]);
});

None.run();
