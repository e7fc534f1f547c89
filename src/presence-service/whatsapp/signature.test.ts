import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseConfig, DEFAULT_WHATSAPP_GRAPH_URL } from '../config.js';
import { clientMsgIdFor } from './inbound.js';
import { signHub, verifyHubSignature } from './signature.js';
import { WaDelivery } from './payload.js';
import { ClientMsgId } from '../../protocol/ids.js';

const raw = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');

test('X-Hub-Signature-256 verifies on the raw bytes and says why it refuses', () => {
  assert.equal(verifyHubSignature('s3cret-app', raw, signHub('s3cret-app', raw)), { ok: true });
  assert.equal(verifyHubSignature('s3cret-app', raw, signHub('s3cret-app', raw).toUpperCase().replace('SHA256=', 'sha256=')), { ok: true });
  assert.equal(verifyHubSignature('s3cret-app', raw, signHub('other', raw)), { ok: false, reason: 'mismatch' });
  // One byte changed after signing (e.g. re-serialised JSON) no longer matches.
  assert.equal(verifyHubSignature('s3cret-app', Buffer.from(raw.toString().replace('[]', '[ ]')), signHub('s3cret-app', raw)), {
    ok: false,
    reason: 'mismatch',
  });
  assert.equal(verifyHubSignature('s3cret-app', raw, undefined), { ok: false, reason: 'missing' });
  assert.equal(verifyHubSignature('s3cret-app', raw, 'sha1=abc'), { ok: false, reason: 'malformed' });
  assert.equal(verifyHubSignature('s3cret-app', raw, ['a', 'b']), { ok: false, reason: 'missing' });
});

test('clientMsgIds from WhatsApp ids are valid, stable, and differ per site and part', () => {
  const a = clientMsgIdFor('cloud-a', 'wamid.HBgLNDkxNTExMjM0NTY3OBUCABIYFjNFQjBDMEY');
  assert.ok(ClientMsgId.safeParse(a).success, a);
  assert.is(a, clientMsgIdFor('cloud-a', 'wamid.HBgLNDkxNTExMjM0NTY3OBUCABIYFjNFQjBDMEY'));
  assert.is.not(a, clientMsgIdFor('cloud-b', 'wamid.HBgLNDkxNTExMjM0NTY3OBUCABIYFjNFQjBDMEY'));
  assert.is.not(a, clientMsgIdFor('cloud-a', 'wamid.HBgLNDkxNTExMjM0NTY3OBUCABIYFjNFQjBDMEY', 'media'));
});

test('unknown message types and extra fields parse, so one new Meta feature does not reject a delivery', () => {
  const r = WaDelivery.safeParse({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '1',
        changes: [
          {
            field: 'messages',
            value: {
              metadata: { phone_number_id: '1' },
              messages: [{ from: '4915112345678', id: 'x', type: 'reaction', reaction: { emoji: '👍' } }],
              statuses: [{ id: 'y', status: 'read', extra: 1 }],
            },
          },
        ],
      },
    ],
  });
  assert.ok(r.success);
});

test('WHATSAPP_GRAPH_URL: Meta by default, any http(s) URL in development, https only in production', () => {
  const dir = `/tmp/wa-config-${process.pid}`;
  const key = 'a'.repeat(64);
  assert.is(parseConfig({ DATA_DIR: dir, SECRET_KEY: key }).whatsappGraphUrl, DEFAULT_WHATSAPP_GRAPH_URL);
  assert.is(parseConfig({ DATA_DIR: dir, SECRET_KEY: key, WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9/' }).whatsappGraphUrl, 'http://127.0.0.1:9');
  assert.throws(
    () => parseConfig({ DATA_DIR: dir, SECRET_KEY: key, NODE_ENV: 'production', FORGE_APP_IDS: 'a', WHATSAPP_GRAPH_URL: 'http://graph.local' }),
    (e: Error) => e.message.startsWith('WHATSAPP_GRAPH_URL'),
  );
});

test.run();
