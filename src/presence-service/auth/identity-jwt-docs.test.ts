/**
 * docs/deployment.md's signing example is the integrators' contract: this test extracts
 * the code block from the "Verified visitors" section, runs it as a module, and
 * authenticates a widget socket with the token it produced.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startHarness, type Harness } from '../testing/harness.js';

const GUIDE = join(import.meta.dirname, '..', '..', '..', 'docs', 'deployment.md');

/** The first ```js block after the "Verified visitors" heading. */
export function signingExample(markdown: string): string {
  const section = markdown.split(/^### Verified visitors$/m)[1];
  if (!section) throw new Error('docs/deployment.md has no "### Verified visitors" section');
  const block = /^```js\n([\s\S]*?)^```$/m.exec(section);
  if (!block) throw new Error('the "Verified visitors" section has no ```js block');
  return block[1]!;
}

type Signer = (secret: string, user: { email: string; name?: string }) => string;

const D = suite<{ h: Harness; secret: string; dir: string; sign: Signer }>('docs/deployment.md signing example');
D.before(async (ctx) => {
  ctx.h = await startHarness();
  await ctx.h.projectConfig({ verification: 'required' });
  ctx.secret = (await ctx.h.remote('project-config.rotate-secret', { projectKey: 'SUP' })).body.secret;
  ctx.dir = mkdtempSync(join(tmpdir(), 'docs-example-'));
  const file = join(ctx.dir, 'chat-identity.mjs');
  writeFileSync(file, signingExample(readFileSync(GUIDE, 'utf8')));
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const fns = Object.values(mod).filter((v): v is Signer => typeof v === 'function');
  assert.is(fns.length, 1, 'the example exports one signing function');
  ctx.sign = fns[0]!;
});
D.after(async (ctx) => {
  await ctx.h.close();
  rmSync(ctx.dir, { recursive: true, force: true });
});

D('the token the example signs authenticates a widget socket as a verified visitor', async ({ h, secret, sign }) => {
  const jwt = sign(secret, { email: 'grace@example.com', name: 'Grace Hopper' });
  const c = await h.customer({ auth: { jwt } });
  assert.is(c.authOk.customer.verified, true);
  await c.close();
});

D('the example signs exactly the documented claims, within the limits', async ({ secret, sign }) => {
  const [header, claims] = sign(secret, { email: 'grace@example.com', name: 'Grace' })
    .split('.')
    .slice(0, 2)
    .map((p) => JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')));
  assert.is(header.alg, 'HS256');
  assert.equal(Object.keys(claims).sort(), ['email', 'exp', 'iat', 'name']);
  const now = Date.now() / 1000;
  assert.ok(Math.abs(claims.iat - now) < 60 && claims.exp > claims.iat && claims.exp - claims.iat <= 3600);
});

D('a token from the example with another secret is refused', async ({ h, sign }) => {
  const c = await h.customer({ auth: null });
  c.send({ type: 'auth', widgetId: h.widgetId, jwt: sign('not-the-project-secret-but-long-enough', { email: 'grace@example.com' }) });
  assert.is((await c.next('error')).code, 'verification_required');
});

D.run();
