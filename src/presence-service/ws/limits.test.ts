import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from '../testing/harness.js';
import { connect } from '../testing/client.js';

const L = suite<{ h: Harness }>('connection limits');
L.before(async (ctx) => {
  ctx.h = await startHarness({ limits: { socketsPerVisitor: 2, socketsPerIp: 4, handshakesPerIpPerMin: 8 } });
});
L.after(async (ctx) => ctx.h.close());

L('one visitor may keep only so many sockets open', async ({ h }) => {
  const a = await h.customer();
  const b = await h.customer({ auth: { token: a.authOk.token } });
  const c = await h.customer({ auth: null });
  c.send({ type: 'auth', widgetId: h.widgetId, token: a.authOk.token });
  assert.is((await c.next('error')).code, 'rate_limited');
  assert.is((await c.closed).code, 1008);
  await b.close();
  await h.sockets('customer', 1);
  const d = await h.customer({ auth: { token: a.authOk.token } });
  await d.close();
  await a.close();
});

L('one IP may hold only so many sockets, and only so many handshakes a minute', async ({ h }) => {
  const open = [];
  for (let i = 0; i < 4; i++) open.push(await connect(`${h.service.wsUrl}/ws/agent`));
  await h.sockets('agent', 4);
  const refused = await connect(`${h.service.wsUrl}/ws/agent`).then(
    () => null,
    (e: Error) => e.message,
  );
  assert.is(refused, 'HTTP 429');
  for (const s of open) await s.close();
  // Closed at the server too, so the refusal below can only be the handshake budget.
  await h.sockets('agent', 0);
  // The handshake budget (8 a minute) is spent by now, even with the sockets closed.
  const again = await connect(`${h.service.wsUrl}/ws/agent`).then(
    () => null,
    (e: Error) => e.message,
  );
  assert.is(again, 'HTTP 429');
});

L.run();
