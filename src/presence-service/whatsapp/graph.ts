/**
 * The few Graph API calls the channel needs: send a text, look up a media id, download it.
 * Every call carries the site's Bearer token and a timeout; failures become GraphError
 * with a machine-readable code (Meta's numeric error code kept when there is one).
 * Nothing here logs: bodies carry message text and headers carry the token.
 */
import { z } from 'zod';
import { GRAPH_API_VERSION, GRAPH_TIMEOUT_MS, OUTSIDE_WINDOW_ERROR, TEMPLATE_MISSING_ERROR, TEMPLATE_PAGE_SIZE, TEMPLATE_PARAMS_ERROR } from './limits.js';
import { templateParamCount, type WhatsAppTemplate } from '../../protocol/whatsapp-templates.js';

export type GraphErrorCode = 'outside_window' | 'params_mismatch' | 'no_template' | 'rejected' | 'unavailable' | 'too_large';

export class GraphError extends Error {
  constructor(
    readonly code: GraphErrorCode,
    message: string,
    /** Meta's numeric error code, when it sent one. */
    readonly metaCode?: number,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

const MetaError = z.object({ error: z.object({ code: z.number().optional(), message: z.string().optional() }).passthrough() });
const SendAnswer = z.object({ messages: z.array(z.object({ id: z.string() })).optional() });
const TemplatesAnswer = z.object({
  data: z.array(
    z
      .object({
        name: z.string(),
        language: z.string(),
        status: z.string(),
        category: z.string().default(''),
        components: z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough()).default([]),
      })
      .passthrough(),
  ),
});
const MediaAnswer = z.object({ url: z.string().url(), mime_type: z.string().optional(), file_size: z.union([z.number(), z.string()]).optional() });

export interface GraphCredentials {
  accessToken: string;
  phoneNumberId: string;
}

export interface GraphClient {
  sendText(c: GraphCredentials, to: string, body: string): Promise<{ messageId: string | null }>;
  /** An image or document Meta fetches from `link` itself (a short-lived download URL). */
  sendMedia(
    c: GraphCredentials,
    to: string,
    media: { kind: 'image' | 'document'; link: string; caption?: string; filename?: string },
  ): Promise<{ messageId: string | null }>;
  /** Approved templates of a WhatsApp Business Account (first page). */
  listTemplates(c: GraphCredentials, wabaId: string): Promise<WhatsAppTemplate[]>;
  /** A template message with its body parameters, in order ({{1}}, {{2}}, …). */
  sendTemplate(c: GraphCredentials, to: string, t: { name: string; language: string; parameters: readonly string[] }): Promise<{ messageId: string | null }>;
  /** The media's bytes (at most maxBytes) and Meta's stated type. */
  fetchMedia(c: GraphCredentials, mediaId: string, maxBytes: number): Promise<{ bytes: Buffer; mime: string | null }>;
}

export function createGraphClient(opts: { baseUrl: string; fetch?: typeof fetch; timeoutMs?: number }): GraphClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? GRAPH_TIMEOUT_MS;

  async function call(url: string, token: string, init: { method: string; json?: unknown } = { method: 'GET' }): Promise<Response> {
    try {
      return await doFetch(url, {
        method: init.method,
        headers: { authorization: `Bearer ${token}`, ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new GraphError('unavailable', `Graph API unreachable (${(err as Error).name})`);
    }
  }

  async function failure(res: Response): Promise<GraphError> {
    const parsed = MetaError.safeParse(await res.json().catch(() => null));
    const metaCode = parsed.success ? parsed.data.error.code : undefined;
    if (metaCode === OUTSIDE_WINDOW_ERROR) return new GraphError('outside_window', 'the 24-hour customer service window is closed', metaCode);
    if (metaCode === TEMPLATE_PARAMS_ERROR) return new GraphError('params_mismatch', 'the template parameters do not match its placeholders', metaCode);
    if (metaCode === TEMPLATE_MISSING_ERROR) return new GraphError('no_template', 'the template does not exist in that language', metaCode);
    if (res.status >= 500 || res.status === 429) return new GraphError('unavailable', `Graph API answered ${res.status}`, metaCode);
    return new GraphError('rejected', `Graph API refused the request (${res.status}${metaCode === undefined ? '' : `, code ${metaCode}`})`, metaCode);
  }

  async function send(c: GraphCredentials, json: Record<string, unknown>): Promise<{ messageId: string | null }> {
    const res = await call(`${base}/${GRAPH_API_VERSION}/${encodeURIComponent(c.phoneNumberId)}/messages`, c.accessToken, {
      method: 'POST',
      json: { messaging_product: 'whatsapp', recipient_type: 'individual', ...json },
    });
    if (!res.ok) throw await failure(res);
    const ok = SendAnswer.safeParse(await res.json().catch(() => null));
    return { messageId: ok.success ? (ok.data.messages?.[0]?.id ?? null) : null };
  }

  return {
    sendText: (c, to, body) => send(c, { to, type: 'text', text: { preview_url: false, body } }),

    sendTemplate(c, to, t) {
      const components = t.parameters.length ? [{ type: 'body', parameters: t.parameters.map((text) => ({ type: 'text', text })) }] : [];
      return send(c, { to, type: 'template', template: { name: t.name, language: { code: t.language }, components } });
    },

    async listTemplates(c, wabaId) {
      const url = `${base}/${GRAPH_API_VERSION}/${encodeURIComponent(wabaId)}/message_templates?status=APPROVED&limit=${TEMPLATE_PAGE_SIZE}`;
      const res = await call(url, c.accessToken);
      if (!res.ok) throw await failure(res);
      const parsed = TemplatesAnswer.safeParse(await res.json().catch(() => null));
      if (!parsed.success) throw new GraphError('rejected', 'Graph API template list answered in an unexpected shape');
      return parsed.data.data
        .filter((t) => t.status === 'APPROVED' && /^[a-z0-9_]{1,512}$/.test(t.name) && /^[a-z]{2,3}(_[A-Z]{2})?$/.test(t.language))
        .map((t) => {
          const body = (t.components.find((x) => x.type.toUpperCase() === 'BODY')?.text ?? '').slice(0, 1024);
          return { name: t.name, language: t.language, category: t.category.slice(0, 40), body, params: Math.min(templateParamCount(body), 10) };
        });
    },

    sendMedia(c, to, m) {
      const media = { link: m.link, ...(m.caption ? { caption: m.caption } : {}), ...(m.kind === 'document' && m.filename ? { filename: m.filename } : {}) };
      return send(c, { to, type: m.kind, [m.kind]: media });
    },

    async fetchMedia(c, mediaId, maxBytes) {
      const meta = await call(`${base}/${GRAPH_API_VERSION}/${encodeURIComponent(mediaId)}`, c.accessToken);
      if (!meta.ok) throw await failure(meta);
      const info = MediaAnswer.safeParse(await meta.json().catch(() => null));
      if (!info.success) throw new GraphError('rejected', 'Graph API media lookup answered in an unexpected shape');
      const declared = Number(info.data.file_size);
      if (Number.isFinite(declared) && declared > maxBytes) throw new GraphError('too_large', 'the media is larger than the upload limit');
      const res = await call(info.data.url, c.accessToken);
      if (!res.ok || !res.body) throw await failure(res);
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        // Leaving the loop by throwing cancels the download.
        if (size > maxBytes) throw new GraphError('too_large', 'the media is larger than the upload limit');
        chunks.push(Buffer.from(chunk));
      }
      return { bytes: Buffer.concat(chunks), mime: info.data.mime_type ?? null };
    },
  };
}
