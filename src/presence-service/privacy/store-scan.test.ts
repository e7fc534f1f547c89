/**
 * Issue 10, item 5: the service stores only what the data policy lists (README, "Data
 * policy"). A scripted conversation runs against the real presence service: an anonymous
 * visitor with a marker name and email, marker text in every message and caption, a file
 * with a marker name, typing, an agent reply, a reconnect; a verified visitor whose signed
 * identity carries a marker name and email; a WhatsApp contact with a marker name and text.
 * Then every store key and value is scanned, with the embedded store and with Redis:
 *   - every value ever written through the store ports (kv and ephemeral, including
 *     short-lived ones deleted again), recorded by a wrapper around the store;
 *   - what is left at the end: every file under DATA_DIR (store.json, attachments) or
 *     every Redis key under the deployment's prefix with its value, whatever its type.
 * Message text, names and emails: zero hits. The file name is part of the attachment
 * (policy: "attachment files, deleted for good 7 days after upload") and may appear only in
 * that attachment's own metadata file.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { SignJWT } from 'jose';
import { createClient } from 'redis';
import { createEmbeddedStore, createRedisStore, type Json, type Store } from '../store/index.js';
import { startHarness, type Harness } from '../testing/harness.js';
import { testKeyPrefix } from '../testing/redis.js';
import { signHub } from '../whatsapp/signature.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** Markers: each one is unlikely anywhere by chance, so any hit is a leak. */
const M = {
  name: 'Zebulonmarkname',
  email: 'zeb.markmail@leak-check.example',
  text: 'Quokkamarktext',
  verifiedName: 'Verimarkname',
  verifiedEmail: 'veri.markmail@leak-check.example',
  waName: 'Wamarkname',
  waText: 'Wamarktext',
  agentText: 'Agentmarktext',
};
const FILE_MARK = 'Filemarkname';
const SECRET_MARKERS = Object.values(M);
const WA = { projectKey: 'SUP', phoneNumberId: '1000001', accessToken: 'token-site-a-0123456789', appSecret: 'app-secret-site-a', verifyToken: 'verify-a-123' };

/** Records every key, member and value written through the store's ports (bus messages are not stored). */
function recording(store: Store): { store: Store; written: string[] } {
  const written: string[] = [];
  const note = (...parts: unknown[]) => written.push(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
  const { kv, ephemeral: e } = store;
  return {
    written,
    store: {
      kind: store.kind,
      bus: store.bus,
      healthy: () => store.healthy(),
      close: () => store.close(),
      kv: {
        get: (k) => kv.get(k),
        keys: (p) => kv.keys(p),
        delete: (k) => kv.delete(k),
        set: (k, v) => (note(k, v), kv.set(k, v)),
        setIfAbsent: (k, v) => (note(k, v), kv.setIfAbsent(k, v)),
      },
      ephemeral: {
        get: (k) => e.get(k),
        take: (k) => e.take(k),
        delete: (k) => e.delete(k),
        members: (k) => e.members(k),
        removeMember: (k, m) => e.removeMember(k, m),
        set: (k, v: Json, ttl) => (note(k, v), e.set(k, v, ttl)),
        incr: (k, ttl) => (note(k), e.incr(k, ttl)),
        touchMember: (k, m, d, ttl) => (note(k, m, d), e.touchMember(k, m, d, ttl)),
      },
    },
  };
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (statSync(p).isFile()) out.push(p);
  }
  return out;
}

/** Every key under `prefix` with its value, whatever the Redis type. */
async function redisDump(prefix: string): Promise<{ key: string; value: string }[]> {
  const c = createClient({ url: REDIS_URL });
  await c.connect();
  try {
    const out: { key: string; value: string }[] = [];
    for await (const batch of c.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      for (const key of Array.isArray(batch) ? batch : [batch]) {
        const type = await c.type(key);
        const value =
          type === 'string'
            ? await c.get(key)
            : type === 'hash'
              ? await c.hGetAll(key)
              : type === 'zset'
                ? await c.zRangeWithScores(key, 0, -1)
                : type === 'set'
                  ? await c.sMembers(key)
                  : type === 'list'
                    ? await c.lRange(key, 0, -1)
                    : `<${type}>`;
        out.push({ key, value: JSON.stringify(value) });
      }
    }
    return out;
  } finally {
    await c.quit();
  }
}

async function redisDelete(prefix: string): Promise<void> {
  const c = createClient({ url: REDIS_URL });
  await c.connect();
  try {
    for await (const batch of c.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      const keys = Array.isArray(batch) ? batch : [batch];
      if (keys.length) await c.del(keys);
    }
  } finally {
    await c.quit();
  }
}

const hits = (haystack: string, markers: readonly string[]) => markers.filter((m) => haystack.toLowerCase().includes(m.toLowerCase()));

/** The scripted conversation; answers the attachment id so the scan knows its files. */
async function converse(h: Harness): Promise<string> {
  await h.projectConfig({ verification: 'report', widget: { requireName: true, requireEmail: true, attachments: true } });
  const identitySecret = (await h.remote('project-config.rotate-secret', { projectKey: 'SUP' })).body.secret as string;

  // An anonymous visitor: pre-chat name and email, messages, typing, a file with a caption.
  const c = await h.customer();
  c.send({ type: 'conversation.start', clientMsgId: 'scan-start-0001', text: `${M.text} one`, prechat: { name: M.name, email: M.email } });
  const { conversationId } = await c.next('message.ack');
  const agent = await h.agent(['SUP'], 'agent-scan');
  agent.send({ type: 'watch', conversationId });
  await agent.next('customer.presence');
  c.send({ type: 'typing', conversationId, on: true });
  await agent.next('typing');
  c.send({ type: 'message.send', conversationId, clientMsgId: 'scan-msg-00002', text: `${M.text} two ${M.email}` });
  await c.next('message.ack');
  const attachmentId = await h.upload(c.authOk.token, conversationId, `${FILE_MARK}.png`, PNG);
  c.send({ type: 'attachment.send', conversationId, clientMsgId: 'scan-att-00003', attachmentId, caption: `${M.text} caption` });
  await c.next('message.ack');
  // The agent answers (a relay from the app), and the customer comes back later.
  await h.remote('relay', {
    message: {
      id: '7001',
      conversationId,
      author: { kind: 'agent', accountId: 'agent-scan', name: 'Alice' },
      text: `${M.agentText} reply ${M.name}`,
      at: new Date().toISOString(),
    },
  });
  await c.next('message');
  await c.close();
  const back = await h.customer({ auth: { token: c.authOk.token } });
  assert.is(back.authOk.customer.name, M.name, 'the name shown again comes from Jira (the app), not the store');
  back.send({ type: 'message.send', conversationId, clientMsgId: 'scan-msg-00004', text: `${M.text} four` });
  await back.next('message.ack');
  // Issue 15: a rating and its comment pass through to the app (JSM feedback), never into the store.
  back.send({ type: 'rating', conversationId, rating: 4, comment: `${M.text} rating comment` });
  await back.next('rated');
  await back.close();

  // A verified visitor: name and email arrive in the site-signed identity.
  const now = Math.floor(Date.now() / 1000);
  const jwt = await new SignJWT({ email: M.verifiedEmail, name: M.verifiedName })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(new TextEncoder().encode(identitySecret));
  const v = await h.customer({ auth: { jwt } });
  assert.equal(v.authOk.customer, { name: M.verifiedName, email: M.verifiedEmail, verified: true });
  v.send({ type: 'conversation.start', clientMsgId: 'scan-start-0005', text: `${M.text} verified`, prechat: {} });
  await v.next('message.ack');
  await v.close();
  const vBack = await h.customer({ auth: { jwt, token: v.authOk.token } });
  assert.is(vBack.authOk.token, undefined, 'the same verified person keeps the token (compared by a keyed hash of the email)');
  await vBack.close();

  // A WhatsApp contact.
  assert.is((await h.remote('whatsapp.put', WA)).status, 200);
  const raw = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'waba-1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001', phone_number_id: WA.phoneNumberId },
              contacts: [{ profile: { name: M.waName }, wa_id: '4915112345678' }],
              messages: [{ from: '4915112345678', id: 'wamid.SCAN1', timestamp: '1764380000', type: 'text', text: { body: M.waText } }],
            },
          },
        ],
      },
    ],
  });
  const wa = await fetch(`${h.service.url}/whatsapp/${h.installationId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signHub(WA.appSecret, raw) },
    body: raw,
  });
  assert.is(wa.status, 200);
  await wa.arrayBuffer();
  await agent.close();
  return attachmentId;
}

type Ctx = { h: Harness; dataDir: string; written: string[]; attachmentId: string; redisPrefix?: string; store: Store };

function scanSuite(kind: 'embedded' | 'redis') {
  const S = suite<Ctx>(`store scan after a scripted conversation (${kind})`);
  S.before(async (ctx) => {
    ctx.dataDir = mkdtempSync(join(tmpdir(), 'store-scan-'));
    let base: Store;
    if (kind === 'redis') {
      ctx.redisPrefix = testKeyPrefix();
      base = await createRedisStore({ url: REDIS_URL, keyPrefix: ctx.redisPrefix });
    } else {
      base = await createEmbeddedStore({ dataDir: ctx.dataDir });
    }
    const r = recording(base);
    ctx.store = r.store;
    ctx.written = r.written;
    try {
      ctx.h = await startHarness({ store: r.store, env: { DATA_DIR: ctx.dataDir }, deps: { attachments: undefined } });
      ctx.attachmentId = await converse(ctx.h);
    } catch (e) {
      console.error('the scripted conversation failed:', e); // uvu swallows hook errors
      throw e;
    } finally {
      await ctx.h?.close();
      await ctx.store.close(); // the embedded store writes store.json on close
    }
  });
  S.after(async (ctx) => {
    if (ctx.redisPrefix) await redisDelete(ctx.redisPrefix);
    rmSync(ctx.dataDir, { recursive: true, force: true });
  });

  S('every value written through the store: no message text, name or email', (ctx) => {
    assert.ok(ctx.written.length > 20, `the scripted conversation wrote ${ctx.written.length} entries`);
    const found = ctx.written.filter((w) => hits(w, [...SECRET_MARKERS, FILE_MARK]).length);
    assert.equal(found, []);
    console.log(`  ${kind}: ${ctx.written.length} writes scanned, 0 hits`);
  });

  S('what is left on disk under DATA_DIR: the file name only in its own attachment metadata', (ctx) => {
    const files = filesUnder(ctx.dataDir);
    assert.ok(
      files.some((f) => f.endsWith(`${ctx.attachmentId}.meta.json`)),
      'the attachment was stored on disk',
    );
    if (kind === 'embedded')
      assert.ok(
        files.some((f) => f.endsWith('store.json')),
        'the embedded store file was written',
      );
    const report: string[] = [];
    for (const f of files) {
      const text = readFileSync(f).toString('latin1');
      const secret = hits(text, SECRET_MARKERS);
      if (secret.length) report.push(`${relative(ctx.dataDir, f)}: ${secret.join(',')}`);
      if (hits(text, [FILE_MARK]).length && !f.endsWith(`${ctx.attachmentId}.meta.json`)) report.push(`${relative(ctx.dataDir, f)}: file name`);
    }
    assert.equal(report, []);
    console.log(`  ${kind}: ${files.length} files under DATA_DIR scanned, 0 hits (file name only in ${ctx.attachmentId}.meta.json)`);
  });

  if (kind === 'redis') {
    S('every Redis key under the prefix and its value: no message text, name, email or file name', async (ctx) => {
      const dump = await redisDump(ctx.redisPrefix!);
      assert.ok(dump.length > 5, `redis holds ${dump.length} keys`);
      const found = dump.filter((d) => hits(`${d.key} ${d.value}`, [...SECRET_MARKERS, FILE_MARK]).length).map((d) => d.key);
      assert.equal(found, []);
      console.log(`  redis: ${dump.length} keys scanned, 0 hits`);
    });
  }
  return S;
}

scanSuite('embedded').run();
scanSuite('redis').run();
