/**
 * WhatsApp message templates (issue 15) against the fake Graph server, which follows Meta's
 * documented template endpoints and error codes: the approved templates of the site's
 * Business Account, a template sent outside the 24-hour window, 132000 for wrong parameters.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../log.js';
import { startHarness, type Harness } from '../testing/harness.js';
import { startFakeGraph, type FakeGraph } from './fake-graph.js';

const SITE = {
  projectKey: 'SUP',
  phoneNumberId: '1000001',
  accessToken: 'token-site-a-0123456789',
  appSecret: 'app-secret-site-a',
  verifyToken: 'verify-a-123',
  wabaId: '777000111',
};
const PARAM = 'Quokka-param-marker';
const WA_ID = '4915112345678';

type Ctx = { h: Harness; graph: FakeGraph; lines: string[] };
const T = suite<Ctx>('WhatsApp message templates');

T.before(async (ctx) => {
  ctx.lines = [];
  ctx.graph = await startFakeGraph();
  ctx.graph.templates.set(SITE.wabaId, [
    {
      id: '1',
      name: 'follow_up',
      language: 'en_US',
      status: 'APPROVED',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Hi {{1}}, about your request {{2}}: shall we continue here?' }],
    },
    { id: '2', name: 'draft_offer', language: 'en_US', status: 'PENDING', category: 'MARKETING', components: [{ type: 'BODY', text: 'Not yet approved' }] },
    {
      id: '3',
      name: 'thanks',
      language: 'de',
      status: 'APPROVED',
      category: 'UTILITY',
      components: [
        { type: 'HEADER', text: 'Danke' },
        { type: 'BODY', text: 'Danke für Ihre Geduld!' },
      ],
    },
  ]);
  ctx.graph.closedWindows.add(WA_ID);
  ctx.h = await startHarness({
    env: { WHATSAPP_GRAPH_URL: ctx.graph.url },
    deps: { attachments: undefined, log: createLogger({ level: 'debug', write: (l) => ctx.lines.push(l) }) },
  });
  assert.is((await ctx.h.remote('whatsapp.put', SITE)).status, 200);
});
T.after(async (ctx) => {
  await ctx.h.close();
  await ctx.graph.close();
});

T('lists only the approved templates of the site’s Business Account, with their body and parameter count', async ({ h, graph }) => {
  const r = await h.remote('whatsapp.templates', {});
  assert.is(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.templates, [
    { name: 'follow_up', language: 'en_US', category: 'UTILITY', body: 'Hi {{1}}, about your request {{2}}: shall we continue here?', params: 2 },
    { name: 'thanks', language: 'de', category: 'UTILITY', body: 'Danke für Ihre Geduld!', params: 0 },
  ]);
  const req = graph.requests.find((x) => x.path.endsWith('/message_templates'))!;
  assert.is(req.path, `/v21.0/${SITE.wabaId}/message_templates`);
  assert.is(req.authorization, `Bearer ${SITE.accessToken}`);
});

T('a template reaches a customer whose 24-hour window is closed (free text would get 131047)', async ({ h, graph, lines }) => {
  const r = await h.remote('whatsapp.send-template', {
    conversationId: 'SUP-1',
    waId: WA_ID,
    name: 'follow_up',
    language: 'en_US',
    parameters: [PARAM, 'SUP-1'],
  });
  assert.equal(r.body, { sent: true });
  const sent = graph.requests.filter((x) => x.method === 'POST' && x.path.endsWith('/messages')).at(-1)!;
  assert.equal(sent.body, {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: WA_ID,
    type: 'template',
    template: {
      name: 'follow_up',
      language: { code: 'en_US' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: PARAM },
            { type: 'text', text: 'SUP-1' },
          ],
        },
      ],
    },
  });
  assert.ok(lines.some((l) => l.includes('whatsapp.template_sent')));
  assert.not.ok(
    lines.some((l) => l.includes(PARAM)),
    'parameters are never logged',
  );
});

T('wrong parameters answer params_mismatch (Meta 132000); an unknown or unapproved template no_template (132001)', async ({ h }) => {
  const base = { conversationId: 'SUP-1', waId: WA_ID, language: 'en_US' };
  assert.equal((await h.remote('whatsapp.send-template', { ...base, name: 'follow_up', parameters: ['only one'] })).body, {
    sent: false,
    code: 'params_mismatch',
  });
  assert.equal((await h.remote('whatsapp.send-template', { ...base, name: 'draft_offer', parameters: [] })).body, { sent: false, code: 'no_template' });
  assert.is((await h.remote('whatsapp.send-template', { ...base, name: 'Bad Name', parameters: [] })).status, 400, 'names are checked at the boundary');
});

T('a site without a Business Account id gets a clear 404 for the list', async ({ h }) => {
  assert.is((await h.remote('whatsapp.put', { ...SITE, wabaId: undefined }, { installationId: 'cloud-b' })).status, 200);
  const r = await h.remote('whatsapp.templates', {}, { installationId: 'cloud-b' });
  assert.is(r.status, 404);
  assert.match(r.body.error.message, 'Business Account id');
});

T.run();
