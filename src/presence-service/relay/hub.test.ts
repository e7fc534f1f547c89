/** The hub's delivery rules, on the in-process bus and on a bus that cannot see other processes' subscribers. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Hub, type Envelope, type Listener } from './hub.js';
import { MemoryBus } from '../store/memory-bus.js';
import type { Bus, Json } from '../store/ports.js';
import { silentLogger } from '../log.js';

const CH = 'tenant:site-1:conversation:SUP-1';

function listener(id: string, role: 'customer' | 'agent'): Listener & { got: Envelope[] } {
  const got: Envelope[] = [];
  return { id, role, got, deliver: (e) => got.push(e) };
}

/** Counts what reaches the bus; `counts: false` hides the in-process subscriber count, as Redis has none. */
function counted(bus: MemoryBus, counts = true): Bus & { published: number } {
  const spy = {
    published: 0,
    publish(channel: string, message: Json) {
      spy.published++;
      return bus.publish(channel, message);
    },
    subscribe: (channel: string, handler: (m: Json) => void) => bus.subscribe(channel, handler),
    ...(counts ? { subscribers: (channel: string) => bus.subscribers(channel) } : {}),
  };
  return spy;
}

/** The in-process bus delivers in microtasks: a timer runs after all of them. */
const settle = () => new Promise((r) => setTimeout(r, 0));

test("in one process, a message no listener would take (the sender's own, or for a role nobody has) is not published", async () => {
  const bus = counted(new MemoryBus(() => {}));
  const hub = new Hub(bus, silentLogger);
  const visitor = listener('c1', 'customer');
  await hub.join(CH, visitor);
  await hub.publish(CH, { to: 'all', except: 'c1', frame: { type: 'message' } });
  await hub.publish(CH, { to: 'agent', frame: { type: 'message' } });
  assert.is(bus.published, 0);

  const agent = listener('a1', 'agent');
  await hub.join(CH, agent);
  await hub.publish(CH, { to: 'all', except: 'c1', frame: { type: 'message', n: 1 } });
  await hub.publish(CH, { to: 'customer', except: 'c1', frame: { type: 'typing' } });
  await settle();
  assert.is(bus.published, 1);
  assert.equal(
    agent.got.map((e) => e.frame),
    [{ type: 'message', n: 1 }],
  );
  assert.equal(visitor.got, []);
});

test('a second hub on the same bus still gets what the first cannot see a taker for', async () => {
  const memory = new MemoryBus(() => {});
  const one = new Hub(counted(memory), silentLogger);
  const two = new Hub(memory, silentLogger);
  await one.join(CH, listener('c1', 'customer'));
  const elsewhere = listener('c2', 'customer');
  await two.join(CH, elsewhere);
  await one.publish(CH, { to: 'all', except: 'c1', frame: { type: 'message' } });
  await settle();
  assert.is(elsewhere.got.length, 1);
});

test('a bus that cannot count subscribers (Redis) gets every message', async () => {
  const bus = counted(new MemoryBus(() => {}), false);
  const hub = new Hub(bus, silentLogger);
  await hub.join(CH, listener('c1', 'customer'));
  await hub.publish(CH, { to: 'all', except: 'c1', frame: { type: 'message' } });
  assert.is(bus.published, 1);
});

test.run();
