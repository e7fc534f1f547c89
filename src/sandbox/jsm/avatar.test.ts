import * as assert from 'uvu/assert';
import { ADA, siteSuite } from './test-support.js';
import { avatarSvg } from './avatar.js';

const avatars = siteSuite('avatars');

avatars('the avatarUrls a user carries load without authentication, as an image', async (ctx) => {
  const auth = Buffer.from(`${ADA}:sandbox`).toString('base64');
  const me = (await (await fetch(`${ctx.site.jsm.url}/rest/api/3/myself`, { headers: { authorization: `Basic ${auth}` } })).json()) as {
    avatarUrls: Record<string, string>;
  };
  const res = await fetch(me.avatarUrls['48x48']!);
  assert.is(res.status, 200);
  assert.is(res.headers.get('content-type'), 'image/svg+xml');
  assert.match(await res.text(), '>AA</text>');
});

avatars('initials are drawn from the name, never markup from it', () => {
  assert.match(avatarSvg('Alice Agent', 'x', 48), '>AA<');
  assert.not.match(avatarSvg('<script>', 'x', 48), '<script>');
});

avatars.run();
