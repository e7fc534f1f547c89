/**
 * Custom UI: serves each module's `resources[]` folder at `/ui/<moduleKey>/`, with the bridge
 * script injected before the app's scripts, and answers the bridge's backend calls
 * (`POST /bridge/<frameId>/invoke|fetchProduct`) for the frame's user and context.
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { z } from 'zod';
import { bridgeScript } from './bridge-client.js';
import { describeError } from './errors.js';
import { BodyTooLarge, CONTENT_TYPES, esc, readBody, sendHtml, sendJson } from './http.js';
import { MAX_BRIDGE_BODY_BYTES, MAX_UI_FRAMES } from './limits.js';
import type { AppManifest, UiModuleDef } from './manifest.js';
import { parseColorMode } from './theme.js';
import { isDisplayed } from './display-conditions.js';
import { buildContext, buildExtension } from './ui-context.js';
import type { JsmLike } from './types.js';
import type { FitInvoker } from './fit.js';
import type { FrameIds } from './frame-ids.js';

export interface UiDeps {
  manifest: AppManifest;
  jira: JsmLike;
  ids(): { appId: string; environmentId: string; cloudId: string; siteUrl: string };
  runResolver(mod: UiModuleDef, accountId: string | undefined, context: Record<string, unknown>, functionKey: string, payload: unknown): Promise<unknown>;
  productAsUser(accountId: string, restPath: string, init: RequestInit): Promise<Response>;
  /** Forge Remote signed for a UI module in a user's browser (frontend FIT: context + principal). */
  remoteFromFrame(remoteKey: string, path: string, init: RequestInit, invoker: FitInvoker): Promise<Response>;
  /** Signs frame ids so a restarted host still knows the frames it opened (frame-ids.ts). */
  frameIds: FrameIds;
  log(line: string): void;
}

interface Frame {
  mod: UiModuleDef;
  accountId: string;
  context: Record<string, unknown>;
}

const ParamKey = z.string().regex(/^[A-Z][A-Z0-9_]{0,19}(-[0-9]{1,10})?$/);
const AccountIdParam = z.string().regex(/^[A-Za-z0-9:_-]{1,128}$/);
const InvokeBody = z.object({ functionKey: z.string().min(1).max(200), payload: z.unknown().optional() });
const RemoteInit = z
  .object({ method: z.string().optional(), body: z.string().nullable().optional(), headers: z.array(z.tuple([z.string(), z.string()])).optional() })
  .passthrough();
/** @forge/bridge requestRemote -> callBridge('fetchRemote', {remoteKey, fetchRequestInit, isMultipartFormData}). */
const FetchRemoteBody = z.object({
  remoteKey: z.string().min(1).max(100),
  fetchRequestInit: RemoteInit.extend({ path: z.string().startsWith('/') }),
  isMultipartFormData: z.boolean().optional(),
});
/** @forge/bridge invokeRemote -> callBridge('invoke', {path, method, headers?, body?, invokeType:'ui-remote-fetch'}). */
const InvokeRemoteBody = z.object({
  invokeType: z.literal('ui-remote-fetch'),
  path: z.string().startsWith('/'),
  method: z.enum(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
});
/** The parts of a frame's context a frontend FIT carries (the "Forge Remote essentials" example). */
const FIT_CONTEXT_KEYS = ['localId', 'cloudId', 'moduleKey', 'siteUrl', 'extension'] as const;
const FetchProductBody = z.object({
  product: z.literal('jira'),
  restPath: z.string().startsWith('/'),
  fetchRequestInit: z
    .object({ method: z.string().optional(), body: z.string().nullable().optional(), headers: z.array(z.tuple([z.string(), z.string()])).optional() })
    .passthrough()
    .optional(),
});

function missingBuildPage(mod: UiModuleDef, dir: string): string {
  return `<!doctype html><meta charset="utf-8"><title>Build missing</title><body style="font:14px system-ui;padding:16px">
<h3>No Custom UI build for ${esc(mod.key)}</h3><p>The resource folder <code>${esc(dir)}</code> has no <code>index.html</code>.
Run <code>npm run build</code> and reload.</p></body>`;
}

export class CustomUi {
  private readonly frames = new Map<string, Frame>();
  constructor(private readonly d: UiDeps) {}

  /** GET /ui/<moduleKey>/<file?> */
  async servePage(res: ServerResponse, url: URL, moduleKey: string, rest: string): Promise<void> {
    const mod = this.d.manifest.uiModules.get(moduleKey);
    const dir = mod?.resource ? this.d.manifest.resources.get(mod.resource) : undefined;
    if (!mod || !dir) return sendHtml(res, 404, `<!doctype html><p>No Custom UI module ${esc(moduleKey)} in manifest.yml</p>`);
    if (rest === '' || rest === 'index.html') return this.serveIndex(res, url, mod, dir);
    const file = path.resolve(dir, decodeURIComponent(rest));
    if (!file.startsWith(path.resolve(dir) + path.sep)) return sendHtml(res, 404, '<!doctype html><p>Not found</p>');
    try {
      const st = await stat(file);
      if (!st.isFile()) throw new Error('not a file');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      });
      res.end(body);
    } catch {
      sendHtml(res, 404, '<!doctype html><p>Not found</p>');
    }
  }

  private async serveIndex(res: ServerResponse, url: URL, mod: UiModuleDef, dir: string): Promise<void> {
    let html: string;
    try {
      html = await readFile(path.join(dir, 'index.html'), 'utf8');
    } catch {
      return sendHtml(res, 404, missingBuildPage(mod, dir));
    }
    const as = AccountIdParam.safeParse(url.searchParams.get('as'));
    if (!as.success) return sendHtml(res, 400, '<!doctype html><p>Pick a user to act as: add <code>?as=&lt;accountId&gt;</code>.</p>');
    const issueKey = ParamKey.safeParse(url.searchParams.get('issueKey') ?? undefined);
    const projectKey = ParamKey.safeParse(url.searchParams.get('projectKey') ?? undefined);
    const claims = { m: mod.key, a: as.data, ...(issueKey.success ? { i: issueKey.data } : {}), ...(projectKey.success ? { p: projectKey.data } : {}) };
    const frame = await this.openFrame(mod, claims);
    if (!frame) {
      return sendHtml(
        res,
        404,
        `<!doctype html><p>The module ${esc(mod.key)} is not displayed here: its display conditions are false for this ${issueKey.success ? 'issue' : 'page'}.</p>`,
      );
    }
    const context = frame.context;
    const frameId = this.d.frameIds.issue(claims);
    this.remember(frameId, frame);
    const script = `<script>${bridgeScript({ frameId, context, colorMode: parseColorMode(url.searchParams.get('theme')), issueUrlTemplate: `/jira/browse/{key}?as=${encodeURIComponent(as.data)}`, asAccountId: as.data })}</script>`;
    // Before anything of the app's: @forge/bridge reads window.__bridge when it loads.
    const headOpen = /<head[^>]*>/i.exec(html);
    const out = headOpen ? html.slice(0, headOpen.index + headOpen[0].length) + script + html.slice(headOpen.index + headOpen[0].length) : script + html;
    sendHtml(res, 200, out);
  }

  /** POST /bridge/<frameId>/<op> */
  async serveBridge(req: IncomingMessage, res: ServerResponse, frameId: string, op: string): Promise<void> {
    const frame = this.frames.get(frameId) ?? (await this.reopenFrame(frameId));
    if (!frame) return sendJson(res, 410, { code: 'FRAME_UNKNOWN', message: 'This app frame is no longer known to the local Forge host; reload the page.' });
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, MAX_BRIDGE_BODY_BYTES)).toString('utf8'));
    } catch (err) {
      return sendJson(res, err instanceof BodyTooLarge ? 413 : 400, {
        code: 'BAD_REQUEST',
        message: err instanceof BodyTooLarge ? 'bridge payload too large' : 'bridge payload must be JSON',
      });
    }
    if (op === 'invoke' && (body as { invokeType?: unknown } | null)?.invokeType !== undefined) return this.invokeRemote(res, frame, body);
    if (op === 'invoke') return this.invoke(res, frame, body);
    if (op === 'fetchRemote') return this.fetchRemote(res, frame, body);
    if (op === 'fetchProduct') return this.fetchProduct(res, frame, body);
    sendJson(res, 404, { code: 'NOT_FOUND', message: `bridge operation ${op} is not served` });
  }

  private async invoke(res: ServerResponse, frame: Frame, body: unknown): Promise<void> {
    const b = InvokeBody.safeParse(body);
    if (!b.success) return sendJson(res, 400, { code: 'BAD_REQUEST', message: 'invoke needs a functionKey' });
    try {
      const result = await this.d.runResolver(frame.mod, frame.accountId, frame.context, b.data.functionKey, b.data.payload);
      sendJson(res, 200, { body: result ?? null });
    } catch (err) {
      this.d.log(`resolver ${frame.mod.key}/${b.data.functionKey} threw: ${describeError(err)}`);
      // What the bridge shows a developer in Jira; this browser is the developer's own.
      sendJson(res, 500, { code: 'FUNCTION_ERR', message: `There was an error invoking the function - ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  private frontendInvoker(frame: Frame): FitInvoker {
    const context: Record<string, unknown> = {};
    for (const k of FIT_CONTEXT_KEYS) if (frame.context[k] !== undefined) context[k] = frame.context[k];
    return { kind: 'frontend', moduleType: frame.mod.type, moduleKey: frame.mod.key, accountId: frame.accountId, context };
  }

  /**
   * requestRemote: straight to a remote the manifest declares, with a frontend FIT. Strict where
   * the docs are silent: the remote must also be allowed for client-side fetch
   * (`permissions.external.fetch.client: - remote: <key>`), as any browser egress must.
   * @see https://developer.atlassian.com/platform/forge/apis-reference/ui-api-bridge/requestRemote/
   */
  private async fetchRemote(res: ServerResponse, frame: Frame, body: unknown): Promise<void> {
    const b = FetchRemoteBody.safeParse(body);
    if (!b.success) return sendJson(res, 400, { code: 'BAD_REQUEST', message: 'requestRemote needs a remote key and a path starting with /' });
    const { remoteKey, fetchRequestInit: init } = b.data;
    if (!this.d.manifest.remotes.has(remoteKey)) return sendJson(res, 400, { code: 'INVALID_REMOTE', message: `Invalid remote key provided: "${remoteKey}"` });
    if (!this.d.manifest.clientFetchRemotes.has(remoteKey)) {
      return sendJson(res, 403, { code: 'EGRESS_NOT_ALLOWED', message: `remote "${remoteKey}" is not listed in permissions.external.fetch.client` });
    }
    await this.relayRemote(res, frame, remoteKey, init.path, { method: init.method ?? 'GET', headers: init.headers ?? [], body: init.body ?? undefined });
  }

  /**
   * invokeRemote from a Custom UI: only for a module whose resolver is an `endpoint` (the
   * manifest schema allows `resolver.function` or `resolver.endpoint`, not both).
   * @see https://developer.atlassian.com/platform/forge/remote/calling-from-frontend/
   */
  private async invokeRemote(res: ServerResponse, frame: Frame, body: unknown): Promise<void> {
    const b = InvokeRemoteBody.safeParse(body);
    if (!b.success) return sendJson(res, 400, { code: 'BAD_REQUEST', message: 'invokeRemote needs a path starting with / and an HTTP method' });
    const endpoint = frame.mod.resolverEndpoint;
    const remoteKey = endpoint ? this.d.manifest.endpoints.get(endpoint) : undefined;
    if (!remoteKey)
      return sendJson(res, 400, {
        code: 'INVALID_ENDPOINT',
        message: `module ${frame.mod.key} has no resolver.endpoint: invokeRemote needs one (use requestRemote, or invoke for a function resolver)`,
      });
    const headers = Object.entries(b.data.headers ?? {});
    const bodyText = b.data.body === undefined ? undefined : typeof b.data.body === 'string' ? b.data.body : JSON.stringify(b.data.body);
    try {
      const r = await this.d.remoteFromFrame(remoteKey, b.data.path, { method: b.data.method, headers, body: bodyText }, this.frontendInvoker(frame));
      const text = await r.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: the body as text, as the bridge documents
      }
      const payload = { status: r.status, headers: Object.fromEntries(r.headers), body: parsed };
      sendJson(res, 200, r.ok ? { success: true, payload } : { success: false, error: payload });
    } catch (err) {
      sendJson(res, 502, { code: 'PROXY_ERR', message: `remote request failed: ${describeError(err)}` });
    }
  }

  private async relayRemote(res: ServerResponse, frame: Frame, remoteKey: string, path: string, init: RequestInit): Promise<void> {
    try {
      const r = await this.d.remoteFromFrame(remoteKey, path, init, this.frontendInvoker(frame));
      sendJson(res, 200, { status: r.status, statusText: r.statusText, headers: Object.fromEntries(r.headers), body: await r.text(), isAttachment: false });
    } catch (err) {
      sendJson(res, 502, { code: 'PROXY_ERR', message: `remote request failed: ${describeError(err)}` });
    }
  }

  private async fetchProduct(res: ServerResponse, frame: Frame, body: unknown): Promise<void> {
    const b = FetchProductBody.safeParse(body);
    if (!b.success) return sendJson(res, 400, { code: 'BAD_REQUEST', message: 'requestJira needs a product path' });
    const init = b.data.fetchRequestInit ?? {};
    try {
      const r = await this.d.productAsUser(frame.accountId, b.data.restPath, {
        method: init.method ?? 'GET',
        headers: init.headers ?? [],
        body: init.body ?? undefined,
      });
      sendJson(res, 200, { status: r.status, statusText: r.statusText, headers: Object.fromEntries(r.headers), body: await r.text(), isAttachment: false });
    } catch (err) {
      sendJson(res, 502, { code: 'PROXY_ERR', message: `product request failed: ${describeError(err)}` });
    }
  }

  /**
   * The frame for a module opened as a user on an issue/project page; undefined where Jira
   * would render no frame (display conditions false), so a direct URL cannot get around them.
   */
  private async openFrame(mod: UiModuleDef, c: { a: string; i?: string; p?: string }): Promise<Frame | undefined> {
    const extension = await buildExtension(this.d.jira, mod, { accountId: c.a, issueKey: c.i, projectKey: c.p });
    if (!isDisplayed(mod.type, mod.displayConditions, extension)) return undefined;
    return { mod, accountId: c.a, context: buildContext(this.d.ids(), mod, c.a, extension) };
  }

  /** A frame this host issued before it restarted (or evicted): rebuilt from its signed id. */
  private async reopenFrame(frameId: string): Promise<Frame | undefined> {
    const c = this.d.frameIds.verify(frameId);
    const mod = c ? this.d.manifest.uiModules.get(c.m) : undefined;
    if (!c || !mod) return undefined;
    const frame = await this.openFrame(mod, c).catch(() => undefined);
    if (frame) this.remember(frameId, frame);
    return frame;
  }

  private remember(id: string, f: Frame): void {
    this.frames.set(id, f);
    if (this.frames.size > MAX_UI_FRAMES) {
      const oldest = this.frames.keys().next().value;
      if (oldest !== undefined) this.frames.delete(oldest);
    }
  }
}
