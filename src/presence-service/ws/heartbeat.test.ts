/**
 * The heartbeat refreshes every socket's presence in one batch per beat, and cuts a silent
 * socket by its own reap check — not on some later beat — once reapAfterMs has passed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { BeatBatch, Heartbeat, type Beating } from './heartbeat.js';

function member(lastHeard: number, onReap: () => void = () => {}): Beating & { pings: number; terminated: boolean } {
  const ws = Object.assign(new EventEmitter(), {
    ping() {
      m.pings++;
    },
    terminate() {
      m.terminated = true;
    },
  });
  const m = {
    ws: ws as unknown as WebSocket,
    lastHeard,
    pings: 0,
    terminated: false,
    onBeat(batch: BeatBatch) {
      batch.touchMember('set', `m${lastHeard}`, null, 1_000);
      batch.set(`k${lastHeard}`, 1, 1_000);
    },
    onReap,
  };
  return m;
}

// The heartbeat's timers are unref'd (they never hold a process open): hold this one open meanwhile.
const keepAlive = setInterval(() => {}, 60_000);
test.after(() => clearInterval(keepAlive));

test('one beat pings every socket and hands all their refreshes over as one batch', async () => {
  const now = 0;
  const batches: BeatBatch[] = [];
  let got!: () => void;
  const flushed = new Promise<void>((r) => (got = r));
  const hb = new Heartbeat(
    20,
    1_000_000,
    () => now,
    (b) => {
      batches.push(b);
      got();
    },
  );
  const ms = Array.from({ length: 50 }, (_, i) => member(i));
  for (const m of ms) hb.add(m);
  await flushed;
  hb.stop();
  assert.is(batches.length, 1);
  assert.is(batches[0]!.size, 100);
  assert.ok(ms.every((m) => m.pings === 1));
});

test('a socket silent for reapAfterMs is cut by the reap check (never later), the others stay', async () => {
  let now = 10_000;
  let reaped!: () => void;
  const gone = new Promise<void>((r) => (reaped = r));
  // A heartbeat far longer than the test: only the reap check can cut the socket.
  const hb = new Heartbeat(
    60_000,
    90_000,
    () => now,
    () => {},
  );
  const silent = member(0, () => reaped());
  const live = member(10_000);
  hb.add(silent);
  hb.add(live);
  now = 89_000; // silent for reapAfterMs less one check (1 s): the next check would be late
  await gone;
  hb.stop();
  assert.ok(silent.terminated);
  assert.not.ok(live.terminated);
  assert.is(silent.pings, 0, 'no beat was needed');
});

test('a batch writes all its entries to the store together', async () => {
  const calls: string[] = [];
  const e = {
    touchMember: async (k: string, m: string) => void calls.push(`touch ${k} ${m}`),
    set: async (k: string) => void calls.push(`set ${k}`),
  };
  const b = new BeatBatch();
  b.touchMember('s', 'a', null, 1);
  b.touchMember('s', 'b', null, 1);
  b.set('k', 1, 1);
  const done = b.write(e as never);
  // All issued before any settles: one pipelined burst for a Redis client.
  assert.equal(calls, ['touch s a', 'touch s b', 'set k']);
  await done;
});

test.run();
