/**
 * A stand-in for Meta's Graph API (test code only): media lookup and download, and the
 * messages endpoint, with Bearer checks and the 131047 answer for numbers whose window
 * is closed. Records every request so tests can look at what was sent.
 * Message templates (issue 15), as Meta documents them: `GET /{WABA-ID}/message_templates`
 * (`?status=APPROVED` filters) answers `{data:[{name, language, status, category, components, id}], paging}`;
 * a `type: "template"` message is allowed outside the 24-hour window, and is refused with
 * 132001 when no approved template has that name and language, 132000 when the number of body
 * parameters does not match its {{n}} placeholders.
 * @see https://developers.facebook.com/docs/graph-api/reference/whats-app-business-hsm/
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GRAPH_API_VERSION } from './limits.js';
import { handled } from '../../../scripts/testing/http.js';

export interface GraphRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- whatever the client sent, asserted on by tests
}

export interface FakeGraph {
  url: string;
  requests: GraphRequest[];
  /** mediaId -> bytes and type, served to the given token only. */
  media: Map<string, { bytes: Buffer; mime: string; token: string }>;
  /** Recipients (wa_id) whose 24-hour window is closed. */
  closedWindows: Set<string>;
  /** WABA id -> its templates, in Meta's shape. */
  templates: Map<string, MetaTemplate[]>;
  close(): Promise<void>;
}

export interface MetaTemplate {
  id: string;
  name: string;
  language: string;
  status: 'APPROVED' | 'PENDING' | 'REJECTED';
  category: string;
  components: { type: string; text?: string }[];
}

type TemplateSend = {
  to: string;
  type: string;
  template?: { name?: string; language?: { code?: string }; components?: { type: string; parameters?: unknown[] }[] };
};

/** Meta's answer to a template message: null when it is sent. */
function templateError(g: FakeGraph, body: TemplateSend): { code: number; message: string } | null {
  const t = body.template;
  const found = [...g.templates.values()].flat().find((x) => x.status === 'APPROVED' && x.name === t?.name && x.language === t?.language?.code);
  if (!found) return { code: 132001, message: 'Template name does not exist in the translation' };
  const text = found.components.find((c) => c.type === 'BODY')?.text ?? '';
  const expected = new Set([...text.matchAll(/\{\{(\d+)\}\}/g)].map((m) => m[1])).size;
  const given = (t?.components ?? []).filter((c) => c.type === 'body').flatMap((c) => c.parameters ?? []).length;
  return given === expected ? null : { code: 132000, message: 'Number of parameters does not match the expected number of params' };
}

export async function startFakeGraph(): Promise<FakeGraph> {
  const g: FakeGraph = { url: '', requests: [], media: new Map(), closedWindows: new Set(), templates: new Map(), close: async () => {} };
  const server: Server = createServer(
    handled(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0]!;
      g.requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body: raw ? JSON.parse(raw) : null });
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const prefix = `/${GRAPH_API_VERSION}/`;
      const bytesMatch = /^\/media-bytes\/(.+)$/.exec(path);
      if (bytesMatch) {
        const m = g.media.get(decodeURIComponent(bytesMatch[1]!));
        if (!m || m.token !== token) return json(401, { error: { code: 190, message: 'bad token' } });
        res.writeHead(200, { 'content-type': m.mime });
        return res.end(m.bytes);
      }
      if (!path.startsWith(prefix)) return json(404, { error: { code: 100, message: 'unknown path' } });
      const rest = path.slice(prefix.length).split('/');
      if (req.method === 'GET' && rest[1] === 'message_templates') {
        const list = g.templates.get(decodeURIComponent(rest[0]!));
        if (!list || !token) return json(400, { error: { code: 100, message: 'Unsupported get request', type: 'GraphMethodException' } });
        const status = new URL(req.url ?? '/', 'http://x').searchParams.get('status');
        return json(200, { data: list.filter((t) => !status || t.status === status), paging: { cursors: { before: 'b', after: 'a' } } });
      }
      if (req.method === 'POST' && rest[1] === 'messages') {
        const body = JSON.parse(raw) as TemplateSend;
        if (body.type === 'template') {
          const err = templateError(g, body);
          if (err) return json(400, { error: { ...err, type: 'OAuthException', error_data: { details: err.message } } });
          return json(200, {
            messaging_product: 'whatsapp',
            contacts: [{ input: body.to, wa_id: body.to }],
            messages: [{ id: `wamid.out${g.requests.length}`, message_status: 'accepted' }],
          });
        }
        if (g.closedWindows.has(body.to))
          return json(400, {
            error: { message: 'Re-engagement message', type: 'OAuthException', code: 131047, error_data: { details: 'more than 24 hours' } },
          });
        return json(200, {
          messaging_product: 'whatsapp',
          contacts: [{ input: body.to, wa_id: body.to }],
          messages: [{ id: `wamid.out${g.requests.length}` }],
        });
      }
      if (req.method === 'GET' && rest.length === 1) {
        const id = decodeURIComponent(rest[0]!);
        const m = g.media.get(id);
        if (!m || m.token !== token) return json(404, { error: { code: 100, message: 'no such media' } });
        return json(200, {
          messaging_product: 'whatsapp',
          url: `${g.url}/media-bytes/${encodeURIComponent(id)}`,
          mime_type: m.mime,
          file_size: m.bytes.length,
          id,
        });
      }
      json(404, { error: { code: 100, message: 'unknown path' } });
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  g.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  g.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return g;
}
