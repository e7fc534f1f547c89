/**
 * `npm start` stops cleanly: SIGTERM to the PID it prints frees every port and ends the
 * whole npm -> tsx -> node chain (before, the inner process kept the ports). And it
 * honours the production settings: REDIS_CLUSTER_NODES (or REDIS_URL), BLOB_STORE, S3_*.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from 'redis';
import { testRedisCluster } from '../presence-service/testing/redis-cluster.js';
import { startS3 } from '../presence-service/attachments/s3-harness.js';

/** Includes the UI builds `npm start` does first. */
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;
/** Not imported from system.ts: that would load the whole system into this test process. */
const REPO_ROOT = resolve(import.meta.dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The sandbox's four ports and data folder, for an `npm start` of the test's own. */
function sandboxEnv(ports: number[], dataDir: string): Record<string, string> {
  return {
    SANDBOX_JIRA_PORT: String(ports[0]),
    SANDBOX_FORGE_PORT: String(ports[1]),
    SANDBOX_PRESENCE_PORT: String(ports[2]),
    SANDBOX_DEMO_PORT: String(ports[3]),
    SANDBOX_DATA_DIR: dataDir,
  };
}

/** Starts `npm start` with `env` and resolves once it printed its banner (the PID line); killed if it never does. */
async function npmStart(env: Record<string, string | undefined>) {
  const npm = spawn('npm', ['start', '--silent'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  let out = '';
  try {
    const pid = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start printed no PID in time; output: ${out.slice(-2000)}`)), START_TIMEOUT_MS);
      npm.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /SIGTERM to PID (\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
      void exited.then((code) => reject(new Error(`npm start exited (${code}) before it was up: ${out.slice(-2000)}`)));
    });
    return { npm, pid, exited, output: () => out };
  } catch (e) {
    if (npm.exitCode === null) npm.kill('SIGKILL');
    throw e;
  }
}

/** How npm start ended after a signal: its exit code, or 'timeout'. */
function ended(exited: Promise<number | null>): Promise<number | null | 'timeout'> {
  return Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), STOP_TIMEOUT_MS).unref())]);
}

test('SIGTERM to the PID npm start prints stops it: the ports are free and every process of the chain exited', async () => {
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const dataDir = await mkdtemp(join(tmpdir(), 'start-sigterm-'));
  let run: Awaited<ReturnType<typeof npmStart>> | undefined;
  try {
    run = await npmStart({ ...process.env, ...sandboxEnv(ports, dataDir) });
    const { npm, pid } = run;
    for (const p of ports) assert.not.ok(await portIsFree(p), `port ${p} is in use while running`);
    assert.is.not(pid, npm.pid, 'the printed PID is the inner process, not npm');
    process.kill(pid, 'SIGTERM');
    assert.is.not(await ended(run.exited), 'timeout', 'npm start ended after SIGTERM to the printed PID');
    assert.not.ok(alive(pid), 'the process that held the ports exited');
    for (const p of ports) assert.ok(await portIsFree(p), `port ${p} is free`);
  } finally {
    if (run && run.npm.exitCode === null) run.npm.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('npm start uses a Redis Cluster and S3 when REDIS_CLUSTER_NODES, BLOB_STORE=s3 and S3_* are set', async () => {
  const [cluster, s3] = await Promise.all([testRedisCluster(), startS3('npm-start-files')]);
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const dataDir = await mkdtemp(join(tmpdir(), 'start-cluster-'));
  const prefix = `start-test-${process.pid}:`;
  const env = {
    ...process.env,
    REDIS_URL: undefined,
    ...sandboxEnv(ports, dataDir),
    REDIS_CLUSTER_NODES: cluster.nodes.join(','),
    REDIS_KEY_PREFIX: prefix,
    ...s3.env,
  };
  let run: Awaited<ReturnType<typeof npmStart>> | undefined;
  try {
    run = await npmStart(env);
    assert.match(run.output(), 'Presence service store: Redis Cluster (3 seed nodes); files: S3 bucket npm-start-files.');
    const ready = await fetch(`http://127.0.0.1:${ports[2]}/readyz`).then((r) => r.json());
    assert.equal(ready, { ok: true, store: 'redis' });
    // The installation npm start performs wrote the site's link into the cluster, not into DATA_DIR.
    let found = 0;
    for (const port of cluster.ports) {
      const client = createClient({ url: `redis://127.0.0.1:${port}` });
      await client.connect();
      for await (const batch of client.scanIterator({ MATCH: `${prefix}d:*link`, COUNT: 500 })) found += batch.length;
      await client.close();
    }
    assert.ok(found >= 1, 'no installation link in the cluster');
    process.kill(run.pid, 'SIGTERM');
    assert.is(await ended(run.exited), 0);
  } finally {
    if (run && run.npm.exitCode === null) run.npm.kill('SIGKILL');
    await Promise.all([cluster.stop(), s3.close(), rm(dataDir, { recursive: true, force: true })]);
  }
});

test.run();
