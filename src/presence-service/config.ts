/**
 * Service configuration: read from the environment once at start-up into a typed,
 * frozen object. A bad value throws ConfigError naming the variable and what it
 * expects, so `main.ts` can stop with one clear line instead of failing later.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../protocol/limits.js';
import { parseTrustProxy, TrustProxyError, type TrustProxy } from './http/client-ip.js';
import { LimitEnvError, parseLimitsEnv, type ServiceLimits } from './limits.js';
import { z } from 'zod';

export const DEFAULT_WHATSAPP_GRAPH_URL = 'https://graph.facebook.com';
export const DEFAULT_JWKS_URL = 'https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json';
const MIN_SECRET_BYTES = 32;
const SECRET_FILE = 'secret-key';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly dataDir: string;
  readonly redisUrl: string | null;
  /** Some nodes of a Redis Cluster (REDIS_CLUSTER_NODES); empty when not clustered. Never both this and redisUrl. */
  readonly redisClusterNodes: readonly string[];
  readonly redisKeyPrefix: string;
  readonly forgeJwksUrl: string;
  readonly forgeAppIds: readonly string[];
  /** 32+ bytes: encrypts credentials at rest, hashes visitor tokens, signs download URLs. */
  readonly secretKey: Buffer;
  /** True when the key was generated for development and kept in DATA_DIR. */
  readonly secretKeyGenerated: boolean;
  readonly blobStore: 'disk' | 's3';
  readonly s3: Readonly<{
    bucket: string | null;
    region: string;
    endpoint: string | null;
    forcePathStyle: boolean;
    accessKeyId: string | null;
    secretAccessKey: string | null;
    streamChecksums: boolean;
  }>;
  readonly maxUploadBytes: number;
  /** Which proxies in front of the service may name the client's IP (X-Forwarded-For). */
  readonly trustProxy: TrustProxy;
  readonly logLevel: LogLevel;
  readonly analytics: boolean;
  readonly production: boolean;
  /** Base URL of Meta's Graph API (WhatsApp Cloud API); tests point it at a fake. */
  readonly whatsappGraphUrl: string;
  /** Limits set in the environment (limits.ts LIMIT_ENV); the rest keep their defaults. */
  readonly limits: Readonly<Partial<ServiceLimits>>;
  /** GET /metrics (Prometheus) on the service port; METRICS=false turns it off. */
  readonly metrics: boolean;
  /** Graceful drain on SIGTERM (drain.ts): DRAIN_NOT_READY_MS, DRAIN_SPREAD_MS, DRAIN_TIMEOUT_MS. */
  readonly drain: Readonly<{ notReadyMs: number; spreadMs: number; timeoutMs: number }>;
}

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(
    readonly variable: string,
    expected: string,
    got?: string,
  ) {
    super(`${variable}: expected ${expected}${got === undefined ? '' : `, got "${got}"`}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function int(env: Env, name: string, dflt: number, min: number, max: number): number {
  const v = str(env, name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) throw new ConfigError(name, `an integer from ${min} to ${max}`, v);
  return n;
}

function bool(env: Env, name: string, dflt: boolean): boolean {
  const v = str(env, name)?.toLowerCase();
  if (v === undefined) return dflt;
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(name, 'true or false', v);
}

function trustProxy(env: Env): TrustProxy {
  const v = str(env, 'TRUST_PROXY');
  try {
    return parseTrustProxy(v);
  } catch (err) {
    if (err instanceof TrustProxyError) throw new ConfigError('TRUST_PROXY', err.expected, v);
    throw err;
  }
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const v = str(env, name);
  if (v === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new ConfigError(name, `a URL (${protocols.join(', ')})`, v);
  }
  if (!protocols.includes(u.protocol)) throw new ConfigError(name, `a URL (${protocols.join(', ')})`, v);
  return v.replace(/\/+$/, '');
}

function limits(env: Env): Readonly<Partial<ServiceLimits>> {
  try {
    return Object.freeze(parseLimitsEnv(env));
  } catch (err) {
    if (err instanceof LimitEnvError) throw new ConfigError(err.variable, err.expected, err.got);
    throw err;
  }
}

const MAX_CLUSTER_NODES = 32;
const hasHost = (u: string) => URL.canParse(u) && new URL(u).hostname !== '';
const RedisNodeUrl = z.url({ protocol: /^rediss?$/ }).refine(hasHost, 'a host');
const RedisClusterNodes = z.array(RedisNodeUrl).min(1).max(MAX_CLUSTER_NODES);

/** REDIS_CLUSTER_NODES: comma-separated redis:// or rediss:// URLs. Not echoed: they may hold a password. */
function clusterNodes(env: Env): string[] {
  const v = str(env, 'REDIS_CLUSTER_NODES');
  if (v === undefined) return [];
  const parsed = RedisClusterNodes.safeParse(
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  if (!parsed.success) throw new ConfigError('REDIS_CLUSTER_NODES', `a comma-separated list of 1 to ${MAX_CLUSTER_NODES} redis:// or rediss:// node URLs`);
  return parsed.data.map((u) => u.replace(/\/+$/, ''));
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], dflt: T): T {
  const v = str(env, name);
  if (v === undefined) return dflt;
  if (!(values as readonly string[]).includes(v)) throw new ConfigError(name, `one of ${values.join(', ')}`, v);
  return v as T;
}

/** Hex (64+ chars) or base64/base64url; at least 32 bytes either way. Never echoed. */
export function decodeSecret(value: string): Buffer | null {
  const buf =
    /^[0-9a-fA-F]+$/.test(value) && value.length % 2 === 0
      ? Buffer.from(value, 'hex')
      : /^[A-Za-z0-9+/_-]+={0,2}$/.test(value)
        ? Buffer.from(value, 'base64')
        : null;
  return buf && buf.length >= MIN_SECRET_BYTES ? buf : null;
}

function secretKey(env: Env, dataDir: string, production: boolean): { key: Buffer; generated: boolean } {
  const v = str(env, 'SECRET_KEY');
  if (v !== undefined) {
    const key = decodeSecret(v);
    // The value itself is a secret: never put it in the error.
    if (!key) throw new ConfigError('SECRET_KEY', `at least ${MIN_SECRET_BYTES} bytes as hex or base64 (e.g. \`openssl rand -base64 32\`)`);
    return { key, generated: false };
  }
  if (production) throw new ConfigError('SECRET_KEY', `a secret of ${MIN_SECRET_BYTES}+ bytes (required when NODE_ENV=production)`);
  const file = join(dataDir, SECRET_FILE);
  try {
    const key = decodeSecret(readFileSync(file, 'utf8').trim());
    if (key) return { key, generated: true };
  } catch {
    // absent: generate below
  }
  const key = randomBytes(MIN_SECRET_BYTES);
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  } catch (err) {
    // One clear line instead of an fs stack (a path fs refuses threw a TypeError or ENOTDIR).
    throw new ConfigError('DATA_DIR', `a writable directory for the development secret key (${(err as NodeJS.ErrnoException).code ?? 'not usable'})`);
  }
  return { key, generated: true };
}

export function parseConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const port = int(env, 'PORT', 8787, 0, 65535);
  const host = str(env, 'HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(host)) throw new ConfigError('HOST', 'a host name or IP address', host);
  const publicUrl = url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const dataDir = str(env, 'DATA_DIR') ?? '.data/presence';
  if (dataDir.includes('\0')) throw new ConfigError('DATA_DIR', 'a directory path (no NUL character)');
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']) ?? null;
  const redisClusterNodes = clusterNodes(env);
  if (redisUrl && redisClusterNodes.length) throw new ConfigError('REDIS_CLUSTER_NODES', 'to be unset when REDIS_URL is set (one server or one cluster)');
  const redisKeyPrefix = str(env, 'REDIS_KEY_PREFIX') ?? 'jsmchat:';
  if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(redisKeyPrefix)) throw new ConfigError('REDIS_KEY_PREFIX', '1 to 64 characters of [A-Za-z0-9:_.-]', redisKeyPrefix);
  const forgeJwksUrl = url(env, 'FORGE_JWKS_URL', ['http:', 'https:']) ?? DEFAULT_JWKS_URL;
  if (production && !forgeJwksUrl.startsWith('https:')) throw new ConfigError('FORGE_JWKS_URL', 'an https URL when NODE_ENV=production', forgeJwksUrl);
  const appIdsRaw = str(env, 'FORGE_APP_IDS');
  const forgeAppIds = (appIdsRaw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of forgeAppIds) {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) throw new ConfigError('FORGE_APP_IDS', 'a comma-separated list of Forge app ids (UUIDs)', id);
  }
  if (production && forgeAppIds.length === 0) throw new ConfigError('FORGE_APP_IDS', 'at least one Forge app id (required when NODE_ENV=production)');
  const { key, generated } = secretKey(env, dataDir, production);
  const blobStore = oneOf(env, 'BLOB_STORE', ['disk', 's3'] as const, 'disk');
  const s3 = Object.freeze({
    bucket: str(env, 'S3_BUCKET') ?? null,
    region: str(env, 'S3_REGION') ?? 'us-east-1',
    endpoint: url(env, 'S3_ENDPOINT', ['http:', 'https:']) ?? null,
    forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', false),
    accessKeyId: str(env, 'S3_ACCESS_KEY_ID') ?? null,
    secretAccessKey: str(env, 'S3_SECRET_ACCESS_KEY') ?? null,
    streamChecksums: bool(env, 'S3_STREAM_CHECKSUMS', false),
  });
  if (blobStore === 's3' && !s3.bucket) throw new ConfigError('S3_BUCKET', 'a bucket name (required when BLOB_STORE=s3)');
  if (s3.bucket && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(s3.bucket)) throw new ConfigError('S3_BUCKET', 'an S3 bucket name', s3.bucket);
  if (Boolean(s3.accessKeyId) !== Boolean(s3.secretAccessKey)) {
    throw new ConfigError(s3.accessKeyId ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID', 'to be set together with its pair');
  }
  return Object.freeze({
    port,
    host,
    publicUrl,
    dataDir,
    redisUrl,
    redisClusterNodes: Object.freeze(redisClusterNodes),
    redisKeyPrefix,
    forgeJwksUrl,
    forgeAppIds: Object.freeze(forgeAppIds),
    secretKey: key,
    secretKeyGenerated: generated,
    blobStore,
    s3,
    maxUploadBytes: int(env, 'MAX_UPLOAD_BYTES', DEFAULT_MAX_UPLOAD_BYTES, 1024, 1024 * 1024 * 1024),
    trustProxy: trustProxy(env),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    analytics: bool(env, 'ANALYTICS', true),
    production,
    metrics: bool(env, 'METRICS', true),
    drain: Object.freeze({
      notReadyMs: int(env, 'DRAIN_NOT_READY_MS', 5_000, 0, 120_000),
      spreadMs: int(env, 'DRAIN_SPREAD_MS', 2_000, 0, 120_000),
      timeoutMs: int(env, 'DRAIN_TIMEOUT_MS', 25_000, 0, 600_000),
    }),
    whatsappGraphUrl: url(env, 'WHATSAPP_GRAPH_URL', production ? ['https:'] : ['http:', 'https:']) ?? DEFAULT_WHATSAPP_GRAPH_URL,
    limits: limits(env),
  });
}
