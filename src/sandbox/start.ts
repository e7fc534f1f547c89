/**
 * npm start — the whole product locally, with embedded defaults: no Redis, no S3, no
 * Atlassian account. Data lives in .data/ and survives restarts; Ctrl-C stops everything.
 * REDIS_URL or REDIS_CLUSTER_NODES, BLOB_STORE and S3_* switch the presence service to
 * Redis and S3 (PRESENCE_SETTINGS in system.ts).
 */
import { resolve } from 'node:path';
import { ConfigError } from '../presence-service/config.js';
import { describeBackends, presenceSettingsFrom, REPO_ROOT, startSystem } from './system.js';
import { buildCustomUi, buildWidget } from '../../scripts/build.js';
import { stopOnSignal } from './stop-on-signal.js';

const PORTS = { jira: 8720, forge: 8721, presence: 8722, demo: 8723 };
/** How long a clean stop may take before the process exits anyway. */
const STOP_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const port = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
  console.log('building the Custom UIs and the widget…');
  await Promise.all([...['issue-panel', 'dashboard', 'project-settings', 'admin'].map(buildCustomUi), buildWidget()]);
  const system = await startSystem({
    dataDir: resolve(REPO_ROOT, process.env.SANDBOX_DATA_DIR ?? '.data'),
    ports: {
      jira: port('SANDBOX_JIRA_PORT', PORTS.jira),
      forge: port('SANDBOX_FORGE_PORT', PORTS.forge),
      presence: port('SANDBOX_PRESENCE_PORT', PORTS.presence),
      demo: port('SANDBOX_DEMO_PORT', PORTS.demo),
    },
    log: (line) => console.error(`[forge] ${line}`),
    seedChatHistory: true,
    presenceEnv: presenceSettingsFrom(process.env),
  });
  const w = Math.max(...Object.keys(system.urls).map((k) => k.length));
  console.log('\nChat for JSM is running locally. Open:\n');
  for (const [name, url] of Object.entries(system.urls)) console.log(`  ${name.padEnd(w)}  ${url}`);
  console.log(`\nPresence service ${describeBackends(system.presenceConfig)}.`);
  console.log(`Agents: ${system.agents.map((a) => `${a.displayName} <${a.emailAddress}>`).join(', ')}; every API token is "sandbox".`);
  console.log('The demo website shows "Away" until an agent is online: open a Jira page as an agent (the queue above) and it switches by itself.');
  // `npm start` runs npm -> sh -> tsx -> node: this is the process that owns the ports, so
  // a supervisor (or a test) sends SIGTERM here and everything stops.
  console.log(`Ctrl-C (or SIGTERM to PID ${process.pid}) stops everything; data stays in .data/.\n`);
  stopOnSignal(() => system.close(), STOP_DEADLINE_MS);
}

main().catch((e) => {
  // A bad REDIS_URL, S3_BUCKET, …: one line naming the variable, not a stack.
  if (e instanceof ConfigError) console.error(`npm start: invalid presence-service setting: ${e.message}`);
  else console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
