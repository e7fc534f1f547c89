/**
 * Fuzzing configuration parsing (issue 10). The environment is written by operators, often
 * by hand: any value must either configure the service or stop it with a ConfigError that
 * names the variable, never with some other exception, and never quoting the secret key.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, fuzz, hostileString } from '../../scripts/testing/fuzz.js';
import { ConfigError, parseConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'presence-config-fuzz-'));
const SECRET = Buffer.alloc(32, 9).toString('base64');
/** A plain file where a directory is expected. */
writeFileSync(join(dir, 'plain-file'), 'x');

/** Per variable: values that are right, nearly right, and anything at all. */
const VALUES: Record<string, fc.Arbitrary<string>> = {
  PORT: fc.oneof(fc.integer({ min: -10, max: 70_000 }).map(String), fc.constantFrom('080', '1e3', '0x50', ' 8080 ', '')),
  HOST: fc.constantFrom('127.0.0.1', '0.0.0.0', '::1', 'localhost', 'a b', '[::1]', 'exa_mple'),
  PUBLIC_URL: fc.oneof(fc.webUrl(), fc.constantFrom('ftp://x', 'http://', 'https://a.example/', 'javascript:alert(1)', 'http://[::1', 'http://%zz')),
  REDIS_URL: fc.constantFrom('redis://r:6379', 'rediss://u:p@r:6380/1', 'http://r', 'redis://', 'redis://[::1]:6379'),
  REDIS_CLUSTER_NODES: fc.constantFrom('redis://a:7000,redis://b:7001', 'rediss://:p@c:7000', 'redis://a b', ',', 'http://x', 'redis://'),
  REDIS_KEY_PREFIX: fc.constantFrom('chat:', 'a b', 'x'.repeat(65), ':'),
  FORGE_JWKS_URL: fc.oneof(fc.webUrl(), fc.constantFrom('nope', 'http://x/jwks')),
  FORGE_APP_IDS: fc.oneof(
    fc.array(fc.uuid(), { maxLength: 3 }).map((a) => a.join(',')),
    fc.constantFrom(',,,', 'a-1, b-2', 'ok,not ok'),
  ),
  SECRET_KEY: fc.oneof(
    fc.constant(SECRET),
    fc.constant(Buffer.alloc(32, 1).toString('hex')),
    fc.base64String({ minLength: 4, maxLength: 60 }),
    fc.constantFrom('short', '=====', 'zz'.repeat(40)),
  ),
  BLOB_STORE: fc.constantFrom('disk', 's3', 'ftp', 'S3'),
  S3_BUCKET: fc.constantFrom('chat-files', 'Bad_Bucket', 'ab', 'a'.repeat(64), '-x-'),
  S3_ENDPOINT: fc.constantFrom('http://127.0.0.1:4568', 'x', 'https://s3.example'),
  S3_FORCE_PATH_STYLE: fc.constantFrom('true', 'no', 'maybe', 'TRUE'),
  S3_ACCESS_KEY_ID: fc.constantFrom('k', 'AKIA0000'),
  S3_SECRET_ACCESS_KEY: fc.constantFrom('s', 'secret'),
  S3_STREAM_CHECKSUMS: fc.constantFrom('1', '0', 'x'),
  MAX_UPLOAD_BYTES: fc.oneof(fc.integer({ min: -1, max: 2 ** 31 }).map(String), fc.constantFrom('1023', '1e9', '')),
  TRUST_PROXY: fc.constantFrom('true', 'false', 'on', 'off', '2', ''),
  DRAIN_TIMEOUT_MS: fc.constantFrom('0', '25000', '-1', '1e4', '600001'),
  LOG_LEVEL: fc.constantFrom('debug', 'info', 'warn', 'error', 'trace', 'INFO'),
  ANALYTICS: fc.constantFrom('on', 'off', 'yes'),
  NODE_ENV: fc.constantFrom('production', 'development', 'test'),
  WHATSAPP_GRAPH_URL: fc.constantFrom('https://graph.facebook.com', 'http://127.0.0.1:1', 'nope'),
  // Anywhere under the test's own folder, including names the file system refuses.
  DATA_DIR: fc.oneof(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.constantFrom('a\u0000b', 'x/../y', '')).map((s) => join(dir, s)),
};

/** An environment: a random subset of the variables, each with a right or a wrong value, or any string at all. */
const env = fc
  .record(Object.fromEntries(Object.entries(VALUES).map(([k, v]) => [k, fc.oneof({ arbitrary: v, weight: 4 }, { arbitrary: hostileString(40), weight: 1 })])), {
    requiredKeys: [],
  })
  .map((e) => e as Record<string, string>);

test('any environment configures the service or stops it with a ConfigError naming the variable, never quoting the secret', () => {
  fuzz(
    'config any environment',
    [env],
    (e) => {
      try {
        const c = parseConfig(e);
        assert.ok(Object.isFrozen(c));
        assert.ok(c.secretKey.length >= 32);
        assert.ok(c.port >= 0 && c.port <= 65535);
      } catch (err) {
        assert.instance(err, ConfigError, `not a ConfigError: ${String(err)}`);
        const variable = (err as ConfigError).variable;
        assert.ok(variable in VALUES, variable);
        assert.ok((err as Error).message.startsWith(`${variable}: expected `), (err as Error).message);
        if (e.SECRET_KEY && e.SECRET_KEY.trim().length >= 4) assert.not.ok((err as Error).message.includes(e.SECRET_KEY.trim()), 'the secret key is quoted');
      }
    },
    {
      runs: 1500,
      examples: [
        // Seen while writing this property: a DATA_DIR the file system refuses (a NUL byte, a file
        // in the way) threw fs's TypeError/ENOTDIR instead of a ConfigError naming DATA_DIR.
        [{ DATA_DIR: join(dir, 'a\u0000b') }],
        [{ DATA_DIR: join(dir, 'plain-file', 'below') }],
      ],
    },
  );
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
