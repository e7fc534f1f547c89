/**
 * HAProxy (the Debian package) as the WebSocket-aware load balancer in front of N presence
 * instances: its configuration is generated into a temporary directory, checked with
 * `haproxy -c`, and run in the foreground (`-db`) as a child process.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const HAPROXY_BIN = process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';
/** Health checks: a draining instance (503 on /readyz) leaves the pool within INTERVAL × FALL. */
export const CHECK_INTERVAL_MS = 500;
export const CHECK_FALL = 2;
const CHECK_RISE = 2;
const START_TIMEOUT_MS = 15_000;

export interface Backend {
  name: string;
  port: number;
}

export interface Haproxy {
  url: string;
  configPath: string;
  /** The backend servers HAProxy routes to now (its health checks passed), from its runtime API. */
  upServers(): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * The configuration, also the reference for docs/deployment.md. WebSockets: HAProxy
 * switches a connection to tunnel mode after the 101, where `timeout tunnel` applies; it
 * must exceed the service's ping interval (30 s) with room to spare. `/metrics` stays
 * internal. X-Forwarded-For is set, so the service runs with TRUST_PROXY=1.
 */
export function haproxyConfig(port: number, backends: readonly Backend[], adminSocket?: string): string {
  return [
    'global',
    '  maxconn 4096',
    // The runtime API, for tests to see which servers are up (`show stat`); local only.
    ...(adminSocket ? [`  stats socket ${adminSocket} mode 600 level user`] : []),
    'defaults',
    '  mode http',
    '  option forwardfor',
    '  timeout connect 5s',
    '  timeout client 65s',
    '  timeout server 65s',
    '  timeout http-request 10s',
    '  timeout tunnel 1h',
    '  timeout client-fin 5s',
    'frontend chat',
    `  bind 127.0.0.1:${port}`,
    '  http-request deny deny_status 404 if { path /metrics }',
    '  default_backend presence',
    'backend presence',
    '  balance leastconn',
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    '  retry-on conn-failure empty-response',
    '  retries 2',
    '  option redispatch',
    `  default-server inter ${CHECK_INTERVAL_MS} fall ${CHECK_FALL} rise ${CHECK_RISE}`,
    ...backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check`),
    '',
  ].join('\n');
}

export async function startHaproxy(port: number, backends: readonly Backend[]): Promise<Haproxy> {
  const dir = await mkdtemp(join(tmpdir(), 'jsmchat-haproxy-'));
  const configPath = join(dir, 'haproxy.cfg');
  const adminSocket = join(dir, 'admin.sock');
  await writeFile(configPath, haproxyConfig(port, backends, adminSocket));
  let child: ChildProcess | undefined;
  const kill = () => child?.exitCode === null && child.kill('SIGKILL');
  const stop = async () => {
    process.removeListener('exit', kill);
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child!.once('exit', () => resolve());
        child!.kill('SIGTERM');
      });
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await promisify(execFile)(HAPROXY_BIN, ['-c', '-q', '-f', configPath]);
    child = spawn(HAPROXY_BIN, ['-db', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    process.once('exit', kill);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + START_TIMEOUT_MS;
    // Up when a request through it reaches a healthy instance.
    for (;;) {
      if (child.exitCode !== null) throw new Error(`haproxy exited (${child.exitCode}): ${stderr}`);
      const ok = await fetch(`${url}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`haproxy did not route to a healthy instance in time: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { url, configPath, upServers: () => upServers(adminSocket), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * `show stat` on the runtime API: CSV, one row per proxy and server; `svname` and `status`
 * name the server and its check state ("UP", "DOWN", "UP 1/2" while rising...).
 * @see https://docs.haproxy.org/2.6/management.html#9.3-show%20stat
 */
function upServers(adminSocket: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let out = '';
    const sock = connect(adminSocket, () => sock.end('show stat\n'));
    sock.on('data', (d: Buffer) => (out += d.toString()));
    sock.on('error', reject);
    sock.on('end', () => {
      const [header, ...rows] = out.replace(/^# /, '').trim().split('\n');
      const cols = (header ?? '').split(',');
      const [px, sv, st] = ['pxname', 'svname', 'status'].map((c) => cols.indexOf(c));
      resolve(
        rows
          .map((r) => r.split(','))
          .filter((r) => r[px!] === 'presence' && r[sv!] !== 'BACKEND' && r[st!] === 'UP')
          .map((r) => r[sv!]!),
      );
    });
  });
}
