/**
 * Typed calls to the presence service over Forge Remote. Forge attaches the Forge
 * Invocation Token itself; the service takes the site and the acting user from it. Both
 * the request and the answer are validated against the shared RemoteCalls schemas, so a
 * drift between the two halves fails loudly here instead of deep inside a handler.
 */
import { invokeRemote } from '@forge/api';
import { REMOTE_KEY, REMOTE_PREFIX, RemoteCalls, RemoteError, type RemoteCallName, type RemoteRequest, type RemoteResponse } from '../../protocol/remote.js';
import { AppError, describeIssues } from './errors.js';

export class RemoteCallError extends AppError {
  constructor(
    readonly call: RemoteCallName,
    readonly remoteStatus: number,
    readonly remoteCode: string,
    message: string,
  ) {
    super(remoteStatus === 403 ? 'forbidden' : remoteStatus === 404 ? 'not_found' : 'remote_error', `presence service ${call}: ${message}`);
  }
}

export async function remote<N extends RemoteCallName>(name: N, body: RemoteRequest<N>): Promise<RemoteResponse<N>> {
  const spec = RemoteCalls[name];
  const req = spec.req.safeParse(body);
  if (!req.success) throw new AppError('invalid', `${name}: ${describeIssues(req.error.issues)}`);
  let res;
  try {
    res = await invokeRemote(REMOTE_KEY, {
      path: `${REMOTE_PREFIX}/${name}`,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(req.data),
    });
  } catch (e) {
    throw new RemoteCallError(name, 0, 'unreachable', e instanceof Error ? e.message : 'unreachable');
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new RemoteCallError(name, res.status, 'bad_response', `answered ${res.status} with a body that is not JSON`);
  }
  if (!res.ok) {
    const err = RemoteError.safeParse(json);
    throw new RemoteCallError(
      name,
      res.status,
      err.success ? err.data.error.code : 'http_' + res.status,
      err.success ? err.data.error.message : `answered ${res.status}`,
    );
  }
  const parsed = spec.res.safeParse(json);
  if (!parsed.success) throw new RemoteCallError(name, res.status, 'bad_response', describeIssues(parsed.error.issues));
  return parsed.data as RemoteResponse<N>;
}

/** For reads whose failure must not break a page (presence dots, counters). */
export async function remoteOr<N extends RemoteCallName, F>(name: N, body: RemoteRequest<N>, fallback: F): Promise<RemoteResponse<N> | F> {
  try {
    return await remote(name, body);
  } catch {
    return fallback;
  }
}
