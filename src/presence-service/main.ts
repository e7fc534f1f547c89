/**
 * `npm run presence`: configuration from the environment, then the service until
 * SIGINT/SIGTERM, which drain it (server.ts drain(), drain.ts) and exit.
 */
import { ConfigError, parseConfig } from './config.js';
import { createLogger } from './log.js';
import { createPresenceService } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`presence service: invalid configuration: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger({ level: config.logLevel });
  if (config.secretKeyGenerated) log.warn('config.secret_key_generated', { dataDir: config.dataDir, hint: 'set SECRET_KEY in production' });
  const service = await createPresenceService(config, { log });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A second signal: the operator does not want to wait for the drain.
      log.warn('service.stop_forced', { signal });
      process.exit(1);
    }
    stopping = true;
    log.info('service.stopping', { signal });
    // SIGTERM (orchestrators, balancers) drains; SIGINT (a terminal) skips the not-ready wait.
    service.drain(signal === 'SIGINT' ? { notReadyMs: 0 } : {}).then(
      () => process.exit(0),
      (err) => {
        log.error('service.stop_failed', { err });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main().catch((err) => {
  process.stderr.write(`presence service failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
