import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { freePort } from './free-port.js';
import { FakeClock } from './clock.js';
import { createRedisStore, type RedisStoreOptions } from '../store/redis.js';

const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
const START_TIMEOUT_MS = 10_000;
const POLL_MS = 50;

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * A Redis for tests: REDIS_URL when set (shared, so tests must isolate themselves with
 * testKeyPrefix()), else a private redis-server on a free port without persistence.
 */
export async function testRedis(): Promise<TestRedis> {
  const shared = process.env.REDIS_URL;
  if (shared) return { url: shared, stop: async () => {} };
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(REDIS_SERVER_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    try {
      await waitForPing(port, child);
      return { url: `redis://127.0.0.1:${port}`, stop: () => stopChild(child) };
    } catch (err) {
      lastError = err; // most likely another process took the port between probe and bind
      await stopChild(child);
    }
  }
  throw new Error('could not start redis-server', { cause: lastError });
}

/** A random prefix so that tests sharing one Redis never see each other's keys. */
export function testKeyPrefix(): string {
  return `test-${randomBytes(6).toString('hex')}:`;
}

async function waitForPing(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    if (await ping(port)) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error('redis-server did not answer in time');
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
    socket.once('connect', () => socket.write('PING\r\n'));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * A store-contract fixture on Redis (one server or a cluster, whatever `connection` names):
 * a fresh key prefix per fixture, a clock that starts at real time (Redis expires PX keys by
 * its own clock, member scores by ours), a peer instance and a restart on the same data.
 */
export async function redisContractFixture(connection: Omit<RedisStoreOptions, 'keyPrefix' | 'clock'>) {
  const keyPrefix = testKeyPrefix();
  const clock = new FakeClock(Date.now());
  const open = () => createRedisStore({ ...connection, keyPrefix, clock: clock.now });
  const fx = {
    clock,
    realTtl: true,
    store: await open(),
    peer: open,
    restart: async () => {
      await fx.store.close();
      return open();
    },
  };
  return fx;
}
