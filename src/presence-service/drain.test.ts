/**
 * Graceful drain under traffic (issue 12): /readyz answers 503 first, new sockets are
 * refused, open ones are told to reconnect elsewhere (1012), and what is in flight — a
 * message on its way to Jira, an upload — finishes before the service closes.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'node:http';
import { startHarness, ORIGIN } from './testing/harness.js';
import { connect } from './testing/client.js';
import { CLOSE_SERVICE_RESTART } from './ws/connection.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const T = suite('graceful drain');

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** The HTTP status a WebSocket upgrade request gets (101 when accepted). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', origin: ORIGIN },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

T('a message whose app call is in flight reaches the app once and the drain waits for it; readyz 503 and new sockets refused meanwhile', async () => {
  const h = await startHarness();
  try {
    const c = await h.customer();
    c.send({ type: 'conversation.start', clientMsgId: 'drain-start-1', text: 'hello', prechat: {} });
    const { conversationId } = await c.next('message.ack');
    const agent = await h.agent(['SUP'], 'agent-drain');

    const gate = deferred();
    const arrived = deferred();
    h.app.gate = gate.promise;
    h.app.onGate = arrived.resolve;
    c.send({ type: 'message.send', conversationId, clientMsgId: 'drain-msg-1', text: 'sent as the instance drains' });
    await arrived.promise;

    const notReady = deferred();
    let drained = false;
    const draining = h.service.drain({ notReady: notReady.promise, spreadMs: 0, timeoutMs: 30_000 }).then(() => (drained = true));
    const ready = await fetch(`${h.service.url}/readyz`);
    assert.is(ready.status, 503);
    assert.is((await ready.json()).error.code, 'draining');
    assert.is(await upgradeStatus(`${h.service.url}/ws/customer`), 503, 'a new socket is refused while draining');
    notReady.resolve();

    assert.is((await c.closed).code, CLOSE_SERVICE_RESTART);
    assert.is((await agent.closed).code, CLOSE_SERVICE_RESTART);
    assert.not.ok(drained, 'the drain waits for the app call in flight');
    gate.resolve();
    await draining;
    const writes = h.app.calls.filter((call) => call.type === 'message.customer' && call.clientMsgId === 'drain-msg-1');
    assert.is(writes.length, 1, 'the message reached the app exactly once');
    assert.ok(h.app.written.has('drain-msg-1'), 'and the app answered it');
  } finally {
    await h.close();
  }
});

T('an upload whose body is still arriving when the drain starts completes with 201', async () => {
  const h = await startHarness({ deps: { attachments: undefined } });
  try {
    const c = await h.customer();
    c.send({ type: 'conversation.start', clientMsgId: 'drain-start-2', text: 'hello', prechat: {} });
    const { conversationId } = await c.next('message.ack');
    const url = new URL(`${h.service.url}/v1/attachments?conversationId=${conversationId}&name=dot.png`);
    const req = request(url, {
      method: 'POST',
      // 100-continue: the service answers it once it holds the request, so the drain starts mid-upload.
      headers: { authorization: `Bearer ${c.authOk.token}`, 'content-type': 'image/png', origin: ORIGIN, 'content-length': PNG.length, expect: '100-continue' },
    });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });
    req.flushHeaders();
    await new Promise<void>((resolve) => req.once('continue', resolve));
    req.write(PNG.subarray(0, 20));
    const draining = h.service.drain({ notReady: Promise.resolve(), spreadMs: 0, timeoutMs: 30_000 });
    assert.is((await c.closed).code, CLOSE_SERVICE_RESTART);
    req.end(PNG.subarray(20));
    const res = await response;
    assert.is(res.status, 201, res.body);
    await draining;
  } finally {
    await h.close();
  }
});

T('sockets opened before a drain are all closed with 1012 even when the app is idle, and the drain ends', async () => {
  const h = await startHarness();
  try {
    const clients = await Promise.all([h.customer(), h.customer(), h.agent(['SUP'], 'agent-x'), connect(`${h.service.wsUrl}/ws/customer`, { origin: ORIGIN })]);
    await h.service.drain({ notReady: Promise.resolve(), spreadMs: 50, timeoutMs: 30_000 });
    for (const c of clients) assert.is((await c.closed).code, CLOSE_SERVICE_RESTART);
  } finally {
    await h.close();
  }
});

T.run();
