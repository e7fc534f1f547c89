/**
 * Live relay through a real presence service (embedded store): a customer's `typing`
 * frame to the agent watching that conversation, against a bare `ws` relay server that
 * forwards the same bytes from one socket to another (the floor any relay pays).
 */
import { WebSocketServer, WebSocket } from 'ws';
import { startHarness } from '../../src/presence-service/testing/harness.js';
import { run, type Result } from './harness.js';

const NO_RATE_LIMIT = { frameBurst: 1_000_000, framesPerSec: 1_000_000 };

function once(ws: WebSocket): Promise<void> {
  return new Promise((ok) => ws.once('message', () => ok()));
}

export async function relayBench(): Promise<Result> {
  const h = await startHarness({ limits: NO_RATE_LIMIT });
  const customer = await h.customer();
  customer.send({ type: 'conversation.start', clientMsgId: 'bench-00001', text: 'Hello', prechat: {} });
  const { conversationId } = await customer.next<{ conversationId: string }>('message.ack');
  const agent = await h.agent();
  agent.send({ type: 'watch', conversationId });
  // The watch is in place once a frame for this conversation reaches the agent.
  customer.send({ type: 'typing', conversationId, on: true });
  await agent.next('typing');
  const agentWs = (agent as unknown as { ws: WebSocket }).ws;
  const customerWs = (customer as unknown as { ws: WebSocket }).ws;
  const frame = JSON.stringify({ type: 'typing', conversationId, on: true });

  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((ok) => wss.once('listening', () => ok()));
  const peers: WebSocket[] = [];
  wss.on('connection', (ws) => {
    peers.push(ws);
    ws.on('message', (data) => peers.find((p) => p !== ws)?.send(data));
  });
  const port = (wss.address() as { port: number }).port;
  const a = new WebSocket(`ws://127.0.0.1:${port}`);
  const b = new WebSocket(`ws://127.0.0.1:${port}`);
  await Promise.all([a, b].map((s) => new Promise((ok) => s.once('open', ok))));
  while (peers.length < 2) await new Promise((r) => setTimeout(r, 5));

  let n = 0;
  const result = await run({
    name: 'customer → agent live relay',
    baseline: {
      name: 'bare ws forward',
      fn: () => {
        const got = once(b);
        a.send(frame);
        return got;
      },
    },
    fn: () => {
      const got = once(agentWs);
      customerWs.send(JSON.stringify({ type: 'typing', conversationId, on: n++ % 2 === 0 }));
      return got;
    },
    ops: 300,
    rounds: 5,
  });
  a.close();
  b.close();
  await new Promise((ok) => wss.close(() => ok(undefined)));
  await h.close();
  return result;
}
