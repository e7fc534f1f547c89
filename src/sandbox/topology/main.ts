/**
 * npm run cluster — the multi-instance production topology locally: CLUSTER_INSTANCES
 * (default 3) presence-service processes, a 3-master Redis Cluster, s3rver, HAProxy in
 * front, the local Forge host and the JSM stand-in. Prints the URLs; Ctrl-C stops it all.
 */
import { resolve } from 'node:path';
import { rm } from 'node:fs/promises';
import { REPO_ROOT } from '../system.js';
import { buildCustomUi, buildWidget } from '../../../scripts/build.js';
import { DEFAULT_INSTANCES, startTopology } from './index.js';
import { stopOnSignal } from '../stop-on-signal.js';

const STOP_DEADLINE_MS = 30_000;

async function main(): Promise<void> {
  const instances = Number(process.env.CLUSTER_INSTANCES ?? DEFAULT_INSTANCES);
  if (!Number.isInteger(instances) || instances < 1 || instances > 16) throw new Error('CLUSTER_INSTANCES: expected an integer from 1 to 16');
  const dataDir = resolve(REPO_ROOT, process.env.CLUSTER_DATA_DIR ?? '.data/cluster');
  // Redis and S3 start empty each time (no persistence): so does the rest.
  await rm(dataDir, { recursive: true, force: true });
  console.log('building the Custom UIs and the widget…');
  await Promise.all([...['issue-panel', 'dashboard', 'project-settings', 'admin'].map(buildCustomUi), buildWidget()]);
  const port = process.env.CLUSTER_PORT ? Number(process.env.CLUSTER_PORT) : undefined;
  const topology = await startTopology({ dataDir, instances, port, system: { log: (line) => console.error(`[forge] ${line}`) } });
  const { urls } = topology.system;
  const w = Math.max(...Object.keys(urls).map((k) => k.length));
  console.log(`\nChat for JSM, ${instances} presence instances behind HAProxy. Open:\n`);
  for (const [name, url] of Object.entries(urls)) console.log(`  ${name.padEnd(w)}  ${url}`);
  console.log(`\nInstance PIDs: ${topology.instances.map((i) => `${i.name}=${i.pid}`).join(', ')} (kill -9 one: the others take its sockets).`);
  console.log(`Ctrl-C (or SIGTERM to PID ${process.pid}) stops everything; nothing is kept.\n`);
  stopOnSignal(() => topology.close(), STOP_DEADLINE_MS);
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
