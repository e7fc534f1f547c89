/**
 * Presence-service instances as separate processes (`src/presence-service/main.ts`, what
 * production runs), so one can be killed with SIGKILL or drained with SIGTERM for real.
 * Each binds PORT=0 and reports its address in its `service.listening` log line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../system.js';

const START_TIMEOUT_MS = 30_000;
/** SIGTERM drains; past this, the instance is killed. */
const STOP_TIMEOUT_MS = 20_000;

export interface Instance {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly pid: number;
  /** Resolves with the exit code (null after a signal). */
  readonly exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM (a drain), then SIGKILL after STOP_TIMEOUT_MS. */
  stop(): Promise<void>;
}

export async function startInstance(name: string, env: Record<string, string>, logDir: string): Promise<Instance> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/presence-service/main.ts')], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = () => child.exitCode === null && child.kill('SIGKILL');
  process.once('exit', kill);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => process.removeListener('exit', kill));
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  child.stderr!.pipe(log, { end: false });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start listening in time (see ${name}.log)`)), START_TIMEOUT_MS);
    child.stdout!.on('data', (d: Buffer) => {
      log.write(d);
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!line.includes('"service.listening"')) continue;
        clearTimeout(timer);
        resolve(JSON.parse(line).url as string);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before listening (see ${name}.log)`));
    });
  });
  return {
    name,
    port: Number(new URL(url).port),
    url,
    pid: child.pid!,
    exited,
    kill: (signal) => void (child.exitCode === null && child.kill(signal)),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(force);
    },
  };
}
