/**
 * `npm run presence`: configuration from the environment, then the service until
 * SIGINT/SIGTERM, which close sockets and the store gracefully.
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
    if (stopping) return;
    stopping = true;
    log.info('service.stopping', { signal });
    service.close().then(
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
