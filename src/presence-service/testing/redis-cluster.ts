import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
const REDIS_CLI_BIN = process.env.REDIS_CLI_BIN ?? '/usr/bin/redis-cli';
const MASTERS = 3;
/** Redis Cluster's bus listens on port + 10000, so data ports must leave room below 65536. */
const CLUSTER_BUS_OFFSET = 10_000;
const PORT_RANGE = { from: 20_000, to: 40_000 } as const;
const PORT_ATTEMPTS = 200;
const START_TIMEOUT_MS = 20_000;
const POLL_MS = 50;
/** Short, so a restarted or killed master is noticed within seconds in chaos tests. */
const NODE_TIMEOUT_MS = 2_000;

const run = promisify(execFile);

export interface TestRedisCluster {
  /** `redis://127.0.0.1:<port>` of every node (masters, then replicas), for REDIS_CLUSTER_NODES / rootNodes. */
  readonly nodes: readonly string[];
  readonly ports: readonly number[];
  /** Stops node `index` (SIGKILL when `hard`), then starts it again on the same port and config. */
  restart(index: number, opts?: { hard?: boolean }): Promise<void>;
  /**
   * Kills master `index` (SIGKILL) and waits until its replica has taken over its slots
   * (the cluster is whole again without it); then, unless `rejoin: false` (a node that is
   * gone for good, like a replaced pod), starts the old node again, which rejoins as a
   * replica. Needs `replicas: 1`.
   */
  failover(index: number, opts?: { rejoin?: boolean }): Promise<void>;
  /** Stops every redis-server and removes the temporary directory. Idempotent. */
  stop(): Promise<void>;
}

/**
 * A real 3-master Redis Cluster (replicas and persistence only when asked) on free ports, for tests and
 * `npm run cluster`. Each node runs in its own directory under one temp dir, which stop()
 * removes; the processes are also killed if this process exits without calling stop().
 */
export async function testRedisCluster(opts: { persist?: boolean; replicas?: 0 | 1 } = {}): Promise<TestRedisCluster> {
  const replicas = opts.replicas ?? 0;
  const dir = await mkdtemp(join(tmpdir(), 'jsmchat-redis-cluster-'));
  const children = new Map<number, ChildProcess>();
  const killAll = () => {
    for (const child of children.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killAll);
    await Promise.all([...children.values()].map((c) => stopChild(c, 'SIGTERM')));
    await rm(dir, { recursive: true, force: true });
  };
  const start = async (port: number) => {
    const nodeDir = join(dir, String(port));
    await mkdir(nodeDir, { recursive: true });
    const child = spawn(
      REDIS_SERVER_BIN,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        nodeDir,
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        'nodes.conf',
        '--cluster-node-timeout',
        String(NODE_TIMEOUT_MS),
        // persist: an append-only file fsynced per write, so a restarted master keeps every acknowledged write.
        '--save',
        '',
        ...(opts.persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
      ],
      { stdio: 'ignore' },
    );
    children.set(port, child);
    await waitFor(() => ping(port), `redis-server on ${port}`, child);
  };
  try {
    const ports = await freePortsWithBus(MASTERS * (1 + replicas));
    await Promise.all(ports.map(start));
    // redis-cli makes the first MASTERS nodes the masters and gives each of them one of the rest.
    await run(REDIS_CLI_BIN, ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(replicas), '--cluster-yes'], {
      timeout: START_TIMEOUT_MS,
    });
    // The nodes running (a failover without rejoin leaves one out for good).
    const ok = async (among = ports.filter((p) => children.has(p))) => (await Promise.all(among.map(clusterOk))).every(Boolean);
    await waitFor(() => ok(), 'cluster_state:ok on every node');
    // A replica serves once it has synced from its master.
    if (replicas) await waitFor(async () => (await Promise.all(ports.slice(MASTERS).map(replicaSynced))).every(Boolean), 'replicas in sync');
    const childAt = (index: number) => {
      const port = ports[index];
      const child = port === undefined ? undefined : children.get(port);
      if (port === undefined || !child) throw new RangeError(`no node ${index}`);
      return { port, child };
    };
    return {
      nodes: ports.map((p) => `redis://127.0.0.1:${p}`),
      ports,
      async restart(index, opts = {}) {
        const { port, child } = childAt(index);
        await stopChild(child, opts.hard ? 'SIGKILL' : 'SIGTERM');
        await start(port);
        await waitFor(() => ok(), 'cluster_state:ok after a restart');
      },
      async failover(index, { rejoin = true } = {}) {
        if (!replicas) throw new Error('failover needs a cluster with replicas');
        const { port, child } = childAt(index);
        const others = ports.filter((p) => p !== port);
        await stopChild(child, 'SIGKILL');
        // Marked failed by the others (after NODE_TIMEOUT_MS), then a replica is elected and the slots are covered again.
        await waitFor(
          async () => (await ask(others[0]!, 'CLUSTER NODES')).split('\n').some((l) => l.includes(`:${port}@`) && l.split(' ')[2]!.split(',').includes('fail')),
          `${port} marked failed`,
        );
        await waitFor(() => ok(others), 'cluster_state:ok after the failover');
        if (!rejoin) {
          children.delete(port);
          return;
        }
        await start(port);
        await waitFor(() => ok(), 'cluster_state:ok with the old master back as a replica');
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Ports p where both p and its cluster bus port p+10000 could be bound a moment ago. */
async function freePortsWithBus(count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < PORT_ATTEMPTS && out.length < count; i++) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from));
    if (out.includes(port) || out.includes(port + CLUSTER_BUS_OFFSET) || out.includes(port - CLUSTER_BUS_OFFSET)) continue;
    if ((await canBind(port)) && (await canBind(port + CLUSTER_BUS_OFFSET))) out.push(port);
  }
  if (out.length < count) throw new Error('no free port pairs for a Redis Cluster');
  return out;
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${what}: redis-server exited with ${child.exitCode}`);
    if (await check()) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`${what} did not happen in time`);
}

/** Sends one inline command and resolves with the first reply chunk ('' on any failure). */
function ask(port: number, command: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const done = () => {
      socket.destroy();
      resolve(text);
    };
    socket.setTimeout(500, done);
    socket.once('error', done);
    socket.on('data', (d) => {
      text += d.toString();
      if (text.startsWith('+') || text.startsWith('-') || (text.startsWith('$') && text.endsWith('\r\n') && text.split('\r\n').length >= 3)) done();
    });
    socket.once('connect', () => socket.write(`${command}\r\n`));
  });
}

const ping = async (port: number) => (await ask(port, 'PING')).startsWith('+PONG');
const clusterOk = async (port: number) => (await ask(port, 'CLUSTER INFO')).includes('cluster_state:ok');
const replicaSynced = async (port: number) => (await ask(port, 'INFO replication')).includes('master_link_status:up');

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
