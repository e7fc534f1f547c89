/**
 * Structured JSON logs through pino, one line per event: `{"level":"info","time":"…",
 * "event":"…", …fields}`. The data policy forbids message text, tokens and secrets in logs,
 * so fields whose names suggest them are redacted before pino sees them, whatever the
 * caller passed. Errors keep their stack (a stack holds code locations, not user data);
 * the work's request id (request-id.ts) comes as a field or from a child logger.
 */
import pino from 'pino';
import type { LogLevel } from './config.js';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const REDACT = /text|caption|token|secret|jwt|ticket|password|authorization|cookie|body|credential|signature|apikey|accesskey/i;
const MAX_DEPTH = 4;
const MAX_STACK_CHARS = 4_000;

function scrub(value: unknown, depth: number): unknown {
  if (value instanceof Error) {
    const cause = (value as { cause?: unknown }).cause;
    return {
      name: value.name,
      code: (value as { code?: unknown }).code,
      message: value.message,
      stack: value.stack?.slice(0, MAX_STACK_CHARS),
      ...(cause !== undefined && depth < MAX_DEPTH ? { cause: scrub(cause, depth + 1) } : {}),
    };
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = REDACT.test(k) ? '[redacted]' : scrub(v, depth + 1);
  return out;
}

const noop = (): void => {};

function wrap(logger: pino.Logger, base: LogFields): Logger {
  const emit = (level: LogLevel, event: string, fields?: LogFields): void => {
    if (!logger.isLevelEnabled(level)) return;
    const record = scrub({ ...base, ...fields }, 0) as LogFields;
    logger[level](record, event);
  };
  return {
    // The level is fixed at creation: with debug off, a debug line (one per app call) is a no-op from the start.
    debug: logger.isLevelEnabled('debug') ? (e, f) => emit('debug', e, f) : noop,
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
    child: (fields) => wrap(logger, { ...base, ...fields }),
  };
}

export function createLogger(opts: { level?: LogLevel; write?: (line: string) => void; base?: LogFields } = {}): Logger {
  const destination = opts.write ? { write: (line: string) => opts.write!(line.replace(/\n$/, '')) } : pino.destination({ dest: 1, sync: true });
  const logger = pino(
    {
      level: opts.level ?? 'info',
      base: undefined,
      messageKey: 'event',
      // scrub() already shaped errors (pino's own `err` serializer would fold causes into the message).
      serializers: { err: (v: unknown) => v },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return wrap(logger, opts.base ?? {});
}

/** For tests: drops everything. */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} });
