/**
 * The event delay in force: the host option, else the FORGE_EVENT_DELAY_MS environment
 * variable (for `npm start` and the test harnesses, which do not pass the option), else
 * EVENT_DELAY_DEFAULT_MS. A malformed value is an error, not a silent default.
 */
import { ForgeHostError } from './errors.js';
import { EVENT_DELAY_DEFAULT_MS, EVENT_DELAY_ENV, EVENT_DELAY_MAX_MS } from './limits.js';

export function eventDelayMs(option: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const raw = option ?? (env[EVENT_DELAY_ENV] !== undefined && env[EVENT_DELAY_ENV] !== '' ? Number(env[EVENT_DELAY_ENV]) : EVENT_DELAY_DEFAULT_MS);
  if (!Number.isInteger(raw) || raw < 0 || raw > EVENT_DELAY_MAX_MS) {
    throw new ForgeHostError(
      'BAD_REQUEST',
      `event delay must be a whole number of milliseconds from 0 to ${EVENT_DELAY_MAX_MS} (option eventDelayMs or ${EVENT_DELAY_ENV})`,
    );
  }
  return raw;
}
