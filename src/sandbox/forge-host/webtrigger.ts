/**
 * Serves webtrigger URLs (`/x1/<id>[/<userPath>]`) the way Forge does: the HTTP request
 * becomes the Forge request object, the function's `{statusCode, headers, body}` becomes the
 * HTTP response; anything else, or a throw, is a 500 with the platform's error body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { describeError } from './errors.js';
import { BodyTooLarge, readBody, sendJson } from './http.js';
import { MAX_WEBTRIGGER_BODY_BYTES } from './limits.js';

const WebtriggerResponse = z.object({
  statusCode: z.number().int().min(100).max(599),
  headers: z.union([z.record(z.string(), z.union([z.array(z.string()), z.string()])), z.array(z.unknown())]).optional(),
  body: z.string().optional(),
  statusText: z.string().optional(),
});

/** Forge's answer when the function failed or answered in the wrong shape. */
export function sendFunctionError(res: ServerResponse): void {
  sendJson(res, 500, { code: 500, message: 'Internal Server Error', error: 'FUNCTION_ERR' });
}

export interface WebtriggerDeps {
  resolve(id: string): { moduleKey: string; functionKey: string } | undefined;
  run(functionKey: string, moduleKey: string, request: object): Promise<unknown>;
  cloudId: string;
  log(line: string): void;
}

export async function serveWebtrigger(req: IncomingMessage, res: ServerResponse, url: URL, d: WebtriggerDeps): Promise<void> {
  const m = /^\/x1\/([A-Za-z0-9_-]+)(\/.*)?$/.exec(url.pathname);
  const target = m?.[1] ? d.resolve(m[1]) : undefined;
  if (!m || !target) {
    sendJson(res, 404, { code: 404, message: 'Web trigger not found' });
    return;
  }
  let body: Buffer;
  try {
    body = await readBody(req, MAX_WEBTRIGGER_BODY_BYTES);
  } catch (err) {
    sendJson(res, err instanceof BodyTooLarge ? 413 : 400, { code: err instanceof BodyTooLarge ? 413 : 400, message: 'Request body could not be read' });
    return;
  }
  const headers: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? '').toLowerCase();
    (headers[name] ??= []).push(req.rawHeaders[i + 1] ?? '');
  }
  const queryParameters: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) (queryParameters[k] ??= []).push(v);
  const request = {
    method: req.method ?? 'GET',
    path: url.pathname,
    userPath: m[2] ?? '',
    body: body.toString('utf8'),
    headers,
    queryParameters,
    context: { cloudId: d.cloudId, moduleKey: target.moduleKey },
    contextPath: `/x1/${m[1]}`,
  };
  let result: unknown;
  try {
    result = await d.run(target.functionKey, target.moduleKey, request);
  } catch (err) {
    d.log(`webtrigger ${target.moduleKey} threw: ${describeError(err)}`);
    sendFunctionError(res);
    return;
  }
  const parsed = WebtriggerResponse.safeParse(result);
  if (!parsed.success) {
    d.log(`webtrigger ${target.moduleKey} answered without a valid {statusCode, headers, body}`);
    sendFunctionError(res);
    return;
  }
  const out: Record<string, string | string[]> = {};
  if (parsed.data.headers && !Array.isArray(parsed.data.headers)) {
    for (const [k, v] of Object.entries(parsed.data.headers)) out[k.toLowerCase()] = v;
  }
  try {
    res.writeHead(parsed.data.statusCode, out);
  } catch {
    d.log(`webtrigger ${target.moduleKey} answered with invalid headers`);
    sendFunctionError(res);
    return;
  }
  res.end(parsed.data.body ?? '');
}
