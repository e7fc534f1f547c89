/**
 * `npm run cluster`: the production shape on one machine. N presence-service processes
 * share a real Redis Cluster (3 masters) and an S3-protocol server (s3rver), behind
 * HAProxy; the local Forge host and the JSM stand-in run as in `npm start`
 * (system.ts), with the app's remote and the widget pointed at the balancer.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startSystem, type System, type SystemOptions } from '../system.js';
import { testRedisCluster, type TestRedisCluster } from '../../presence-service/testing/redis-cluster.js';
import { freePort } from '../../presence-service/testing/free-port.js';
import { waitUntil } from '../../presence-service/testing/wait.js';
import { startS3, type S3Harness } from '../../presence-service/attachments/s3-harness.js';
import { createRedisStore } from '../../presence-service/store/redis.js';
import type { PresenceService } from '../../presence-service/server.js';
import { CHECK_FALL, CHECK_INTERVAL_MS, startHaproxy, type Haproxy } from './haproxy.js';
import { startInstance, type Instance } from './instances.js';

export const DEFAULT_INSTANCES = 3;
const BUCKET = 'chat-attachments';
const KEY_PREFIX = 'jsmchat:';
/** Long enough for HAProxy to see /readyz 503 (CHECK_INTERVAL_MS × CHECK_FALL) before the listener goes. */
const DRAIN_NOT_READY_MS = CHECK_INTERVAL_MS * (CHECK_FALL + 1);
/** A restarted instance passes HAProxy's rise checks in about a second; this is the hang guard. */
const BALANCER_RISE_TIMEOUT_MS = 15_000;

export interface TopologyOptions {
  dataDir: string;
  instances?: number;
  /** Fixed balancer port (`npm run cluster`); default a free one. */
  port?: number;
  /** One replica per Redis master (chaos tests fail masters over); default none. */
  redisReplicas?: 0 | 1;
  /** More presence-service environment for every instance (e.g. DRAIN_TIMEOUT_MS). */
  env?: Record<string, string>;
  system?: Partial<SystemOptions>;
}

export interface Topology {
  system: System;
  balancer: Haproxy;
  redis: TestRedisCluster;
  s3: S3Harness;
  /** The running instances; a restarted one replaces its entry. */
  instances: Instance[];
  /** Starts instance `index` again on its old port (after a kill), and waits until it is ready. */
  restartInstance(index: number): Promise<Instance>;
  close(): Promise<void>;
}

export async function startTopology(opts: TopologyOptions): Promise<Topology> {
  const count = opts.instances ?? DEFAULT_INSTANCES;
  const logDir = join(opts.dataDir, 'logs');
  await mkdir(logDir, { recursive: true });
  // AOF on: a restarted master (chaos tests) comes back with its data, as a production one would.
  const [redis, s3] = await Promise.all([testRedisCluster({ persist: true, replicas: opts.redisReplicas ?? 0 }), startS3(BUCKET)]);
  const lbPort = opts.port ?? (await freePort());
  const lbUrl = `http://127.0.0.1:${lbPort}`;
  // Shared by every instance: visitor tokens and signed links must verify anywhere.
  const secretKey = randomBytes(32).toString('base64');
  const instances: Instance[] = [];
  let balancer: Haproxy | undefined;
  let baseEnv: Record<string, string> = {};
  const instanceEnv = (i: number, port = 0): Record<string, string> => ({
    ...baseEnv,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: lbUrl,
    DATA_DIR: join(opts.dataDir, `presence-${i + 1}`),
    SECRET_KEY: secretKey,
    REDIS_CLUSTER_NODES: redis.nodes.join(','),
    REDIS_KEY_PREFIX: KEY_PREFIX,
    ...s3.env,
    TRUST_PROXY: '1',
    DRAIN_NOT_READY_MS: String(DRAIN_NOT_READY_MS),
    DRAIN_SPREAD_MS: '1000',
    DRAIN_TIMEOUT_MS: '15000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    ...opts.env,
  });
  const stopAll = async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await balancer?.stop();
    await Promise.all([redis.stop(), s3.close()]);
  };

  // The Forge host and stand-in come up first (system.ts); it asks for the presence service
  // with the environment it would give one instance (JWKS URL, app id), and gets the balancer.
  const startPresence = async (env: Record<string, string>): Promise<PresenceService> => {
    baseEnv = { FORGE_JWKS_URL: env.FORGE_JWKS_URL!, FORGE_APP_IDS: env.FORGE_APP_IDS! };
    for (let i = 0; i < count; i++) instances.push(await startInstance(`presence-${i + 1}`, instanceEnv(i), logDir));
    balancer = await startHaproxy(
      lbPort,
      instances.map((inst) => ({ name: inst.name, port: inst.port })),
    );
    const store = await createRedisStore({ clusterNodes: redis.nodes, keyPrefix: KEY_PREFIX });
    let closed: Promise<void> | null = null;
    return {
      url: lbUrl,
      wsUrl: lbUrl.replace(/^http/, 'ws'),
      store,
      drain: async () => void (await Promise.all(instances.map((i) => i.stop()))),
      close: () =>
        (closed ??= (async () => {
          await store.close();
          await stopAll();
        })()),
    };
  };
  let system: System;
  try {
    system = await startSystem({ dataDir: opts.dataDir, ...opts.system, startPresence });
  } catch (err) {
    await stopAll();
    throw err;
  }
  Object.assign(system.urls, {
    'Balancer (HAProxy)': lbUrl,
    ...Object.fromEntries(instances.map((i) => [`Instance ${i.name} (direct)`, i.url])),
    'Redis Cluster masters': redis.nodes.join(' '),
    'S3 (s3rver)': `${s3.endpoint}/${s3.bucket}`,
    Logs: logDir,
  });
  return {
    system,
    get balancer() {
      return balancer!;
    },
    redis,
    s3,
    instances,
    async restartInstance(index) {
      const old = instances[index];
      if (!old) throw new RangeError(`no instance ${index}`);
      await old.stop();
      const fresh = await startInstance(old.name, instanceEnv(index, old.port), logDir);
      instances[index] = fresh;
      // Back in the pool once HAProxy's health checks pass (rise 2): only then does it take connections.
      await waitUntil(
        async () => (await balancer!.upServers()).includes(fresh.name),
        `HAProxy to take ${fresh.name} back`,
        BALANCER_RISE_TIMEOUT_MS,
        CHECK_INTERVAL_MS / 2,
      );
      return fresh;
    },
    close: () => system.close(),
  };
}
