/**
 * `npm start` stops cleanly: SIGTERM to the PID it prints frees every port and ends the
 * whole npm -> tsx -> node chain (before, the inner process kept the ports).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

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

test('SIGTERM to the PID npm start prints stops it: the ports are free and every process of the chain exited', async () => {
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const dataDir = await mkdtemp(join(tmpdir(), 'start-sigterm-'));
  const env = { ...process.env, SANDBOX_JIRA_PORT: String(ports[0]), SANDBOX_FORGE_PORT: String(ports[1]), SANDBOX_PRESENCE_PORT: String(ports[2]), SANDBOX_DEMO_PORT: String(ports[3]), SANDBOX_DATA_DIR: dataDir };
  const npm = spawn('npm', ['start', '--silent'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  try {
    let out = '';
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
    for (const p of ports) assert.not.ok(await portIsFree(p), `port ${p} is in use while running`);
    assert.is.not(pid, npm.pid, 'the printed PID is the inner process, not npm');
    process.kill(pid, 'SIGTERM');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), STOP_TIMEOUT_MS).unref())]);
    assert.is.not(code, 'timeout', 'npm start ended after SIGTERM to the printed PID');
    assert.not.ok(alive(pid), 'the process that held the ports exited');
    for (const p of ports) assert.ok(await portIsFree(p), `port ${p} is free`);
  } finally {
    if (npm.exitCode === null) npm.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
});

test.run();
