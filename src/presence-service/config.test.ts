import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEFAULT_JWKS_URL, parseConfig } from './config.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const C = suite<{ dir: string }>('parseConfig');
C.before.each((ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'presence-config-'));
});
C.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

C('defaults: 127.0.0.1:8787, embedded store, Atlassian JWKS, analytics on', ({ dir }) => {
  const c = parseConfig({ DATA_DIR: dir, SECRET_KEY: KEY });
  assert.is(c.port, 8787);
  assert.is(c.host, '127.0.0.1');
  assert.is(c.publicUrl, 'http://127.0.0.1:8787');
  assert.is(c.redisUrl, null);
  assert.equal([...c.redisClusterNodes], []);
  assert.equal(c.drain, { notReadyMs: 5_000, spreadMs: 2_000, timeoutMs: 25_000 });
  assert.is(c.forgeJwksUrl, DEFAULT_JWKS_URL);
  assert.is(c.blobStore, 'disk');
  assert.is(c.analytics, true);
  assert.ok(Object.isFrozen(c));
});

C('REDIS_CLUSTER_NODES: a list of node URLs, never quoted in an error (they may carry a password)', ({ dir }) => {
  const c = parseConfig({ DATA_DIR: dir, SECRET_KEY: KEY, REDIS_CLUSTER_NODES: ' redis://a:7000, rediss://:pw@b.internal:7001/ ' });
  assert.equal([...c.redisClusterNodes], ['redis://a:7000', 'rediss://:pw@b.internal:7001']);
  assert.is(c.redisUrl, null);
  try {
    parseConfig({ DATA_DIR: dir, SECRET_KEY: KEY, REDIS_CLUSTER_NODES: 'redis://:hunter2@a:7000,nope' });
    assert.unreachable('should throw');
  } catch (err) {
    assert.not.match((err as Error).message, /hunter2/);
  }
});

C('reads every variable', ({ dir }) => {
  const c = parseConfig({
    DATA_DIR: dir,
    SECRET_KEY: Buffer.alloc(32, 1).toString('hex'),
    PORT: '9000',
    HOST: '0.0.0.0',
    PUBLIC_URL: 'https://chat.example.com/',
    REDIS_URL: 'redis://r:6379',
    REDIS_KEY_PREFIX: 'chat:',
    FORGE_APP_IDS: 'a-1, b-2',
    BLOB_STORE: 's3',
    S3_BUCKET: 'chat-files',
    S3_ENDPOINT: 'http://127.0.0.1:4568',
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: 'k',
    S3_SECRET_ACCESS_KEY: 's',
    MAX_UPLOAD_BYTES: '2048',
    TRUST_PROXY: '2',
    LOG_LEVEL: 'debug',
    ANALYTICS: 'off',
  });
  assert.is(c.publicUrl, 'https://chat.example.com');
  assert.equal([...c.forgeAppIds], ['a-1', 'b-2']);
  assert.is(c.redisUrl, 'redis://r:6379');
  assert.is(c.s3.forcePathStyle, true);
  assert.is(c.maxUploadBytes, 2048);
  assert.equal(c.trustProxy, { mode: 'hops', hops: 2 });
  assert.is(c.analytics, false);
  assert.is(c.secretKey.length, 32);
});

const bad: [string, Record<string, string>, RegExp][] = [
  ['PORT', { PORT: 'eighty' }, /PORT: expected an integer from 0 to 65535, got "eighty"/],
  ['PORT', { PORT: '70000' }, /PORT: expected an integer/],
  ['PUBLIC_URL', { PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL: expected a URL \(http:, https:\)/],
  ['REDIS_URL', { REDIS_URL: 'http://redis' }, /REDIS_URL: expected a URL \(redis:, rediss:\)/],
  [
    'REDIS_CLUSTER_NODES',
    { REDIS_CLUSTER_NODES: 'redis://a:1,http://b:2' },
    /REDIS_CLUSTER_NODES: expected a comma-separated list of 1 to 32 redis:\/\/ or rediss:\/\/ node URLs$/,
  ],
  ['REDIS_CLUSTER_NODES', { REDIS_CLUSTER_NODES: 'redis://a b' }, /REDIS_CLUSTER_NODES: expected a comma-separated list/],
  [
    'REDIS_CLUSTER_NODES',
    { REDIS_CLUSTER_NODES: 'redis://a:1', REDIS_URL: 'redis://r:6379' },
    /REDIS_CLUSTER_NODES: expected to be unset when REDIS_URL is set/,
  ],
  ['REDIS_KEY_PREFIX', { REDIS_KEY_PREFIX: 'a b' }, /REDIS_KEY_PREFIX: expected 1 to 64 characters/],
  ['FORGE_JWKS_URL', { FORGE_JWKS_URL: 'nope' }, /FORGE_JWKS_URL: expected a URL/],
  ['FORGE_APP_IDS', { FORGE_APP_IDS: 'ok,not ok' }, /FORGE_APP_IDS: expected a comma-separated list/],
  ['SECRET_KEY', { SECRET_KEY: 'short' }, /SECRET_KEY: expected at least 32 bytes/],
  ['BLOB_STORE', { BLOB_STORE: 'ftp' }, /BLOB_STORE: expected one of disk, s3, got "ftp"/],
  ['S3_BUCKET', { BLOB_STORE: 's3' }, /S3_BUCKET: expected a bucket name \(required when BLOB_STORE=s3\)/],
  ['S3_BUCKET', { S3_BUCKET: 'Bad_Bucket' }, /S3_BUCKET: expected an S3 bucket name/],
  ['S3_ENDPOINT', { S3_ENDPOINT: 'x' }, /S3_ENDPOINT: expected a URL/],
  ['S3_FORCE_PATH_STYLE', { S3_FORCE_PATH_STYLE: 'maybe' }, /S3_FORCE_PATH_STYLE: expected true or false/],
  ['S3_STREAM_CHECKSUMS', { S3_STREAM_CHECKSUMS: 'maybe' }, /S3_STREAM_CHECKSUMS: expected true or false/],
  ['S3_SECRET_ACCESS_KEY', { S3_ACCESS_KEY_ID: 'k' }, /S3_SECRET_ACCESS_KEY: expected to be set together with its pair/],
  ['MAX_UPLOAD_BYTES', { MAX_UPLOAD_BYTES: '-1' }, /MAX_UPLOAD_BYTES: expected an integer from 1024/],
  ['TRUST_PROXY', { TRUST_PROXY: 'sometimes' }, /TRUST_PROXY: expected false, a number of proxy hops \(1 to 10\), or a comma list/],
  ['TRUST_PROXY', { TRUST_PROXY: 'true' }, /TRUST_PROXY: expected .*"true" would let any client choose its IP/],
  ['TRUST_PROXY', { TRUST_PROXY: '11' }, /TRUST_PROXY: expected false, a number of proxy hops \(1 to 10\)/],
  ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY: expected .*, got "10.0.0.0\/33"/],
  ['TRUST_PROXY', { TRUST_PROXY: 'loopback,,10.0.0.1' }, /TRUST_PROXY: expected/],
  ['DRAIN_TIMEOUT_MS', { DRAIN_TIMEOUT_MS: '-5' }, /DRAIN_TIMEOUT_MS: expected an integer from 0 to 600000/],
  ['DRAIN_NOT_READY_MS', { DRAIN_NOT_READY_MS: '5s' }, /DRAIN_NOT_READY_MS: expected an integer/],
  ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /LOG_LEVEL: expected one of debug, info, warn, error/],
  ['ANALYTICS', { ANALYTICS: 'perhaps' }, /ANALYTICS: expected true or false/],
  ['HOST', { HOST: 'a host' }, /HOST: expected a host name or IP address/],
];
for (const [name, env, message] of bad) {
  C(`a bad ${name} throws ConfigError naming it (${JSON.stringify(env)})`, ({ dir }) => {
    try {
      parseConfig({ DATA_DIR: dir, SECRET_KEY: KEY, ...env });
      assert.unreachable('should throw');
    } catch (err) {
      assert.instance(err, ConfigError);
      assert.is((err as ConfigError).variable, name);
      assert.match((err as Error).message, message);
    }
  });
}

C('TRUST_PROXY: false, a hop count, or proxy addresses (parsed once, frozen)', ({ dir }) => {
  const at = (v?: string) => parseConfig({ DATA_DIR: dir, SECRET_KEY: KEY, ...(v === undefined ? {} : { TRUST_PROXY: v }) }).trustProxy;
  assert.equal(at(), { mode: 'none' });
  assert.equal(at('false'), { mode: 'none' });
  assert.equal(at('0'), { mode: 'none' });
  assert.equal(at('1'), { mode: 'hops', hops: 1 });
  const list = at(' loopback, 10.0.0.0/8 ,2001:db8::/32,uniquelocal ');
  assert.equal(list, { mode: 'addresses', addresses: ['loopback', '10.0.0.0/8', '2001:db8::/32', 'uniquelocal'] });
  assert.ok(Object.isFrozen(list));
});

C('a bad SECRET_KEY is not echoed in the error', ({ dir }) => {
  try {
    parseConfig({ DATA_DIR: dir, SECRET_KEY: 'hunter2-is-my-key' });
  } catch (err) {
    assert.not.match((err as Error).message, /hunter2/);
  }
});

C('production requires SECRET_KEY and FORGE_APP_IDS', ({ dir }) => {
  assert.throws(
    () => parseConfig({ DATA_DIR: dir, NODE_ENV: 'production', FORGE_APP_IDS: 'a' }),
    (e: ConfigError) => e.variable === 'SECRET_KEY',
  );
  assert.throws(
    () => parseConfig({ DATA_DIR: dir, NODE_ENV: 'production', SECRET_KEY: KEY }),
    (e: ConfigError) => e.variable === 'FORGE_APP_IDS',
  );
});

C('in development a missing SECRET_KEY is generated once and kept in DATA_DIR', ({ dir }) => {
  const a = parseConfig({ DATA_DIR: dir });
  const b = parseConfig({ DATA_DIR: dir });
  assert.is(a.secretKeyGenerated, true);
  assert.ok(a.secretKey.equals(b.secretKey));
  assert.ok(readFileSync(join(dir, 'secret-key'), 'utf8').trim().length > 0);
});

C('limits come from the environment as whole numbers, a bad one names its variable', ({ dir }) => {
  const c = parseConfig({ DATA_DIR: dir, SECRET_KEY: KEY, HEARTBEAT_INTERVAL_MS: '1000', REAP_AFTER_MS: ' 2000 ', SOCKETS_PER_IP: '5000', FRAME_BURST: '' });
  assert.equal(c.limits, { heartbeatIntervalMs: 1000, reapAfterMs: 2000, socketsPerIp: 5000 });
  for (const bad of ['0', '-1', '1.5', 'ten', '99999999999999']) {
    try {
      parseConfig({ DATA_DIR: dir, SECRET_KEY: KEY, SOCKETS_PER_IP: bad });
      assert.unreachable(`accepted ${bad}`);
    } catch (err) {
      assert.instance(err, ConfigError);
      assert.is((err as ConfigError).variable, 'SOCKETS_PER_IP');
    }
  }
});

C('every variable the service reads is documented in the README', ({ dir }) => {
  const read = new Set<string>();
  const env = new Proxy({ DATA_DIR: dir, SECRET_KEY: KEY } as Record<string, string | undefined>, {
    get(target, name) {
      if (typeof name === 'string') read.add(name);
      return target[name as string];
    },
  });
  parseConfig(env);
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const missing = [...read].filter((name) => !readme.includes(`\`${name}\``));
  assert.ok(read.size > 15, `reads ${[...read].join(', ')}`);
  assert.equal(missing, [], 'README.md names each variable in backticks');
});

C.run();
