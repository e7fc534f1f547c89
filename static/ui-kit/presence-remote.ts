/**
 * Calls that speak for the agent at this page go straight from the page to the presence
 * service with @forge/bridge `requestRemote`: only a frontend Forge Remote call carries the
 * user (`principal`) in its Forge Invocation Token; a call from the app's backend carries no
 * user at all. The app's grant (resolver `presence.grant`) says which projects that user is an
 * agent of; the service takes the user from Forge and the projects from the grant.
 * @see https://developer.atlassian.com/platform/forge/apis-reference/ui-api-bridge/requestRemote/
 */
import { requestRemote } from '@forge/bridge';
import type { AgentStatus } from '../../src/protocol/model.js';
import { REMOTE_KEY, REMOTE_PREFIX, type RemoteRequest, type RemoteResponse } from '../../src/protocol/remote.js';
import { call } from './bridge.js';

type UserCall = 'agent-ticket' | 'presence.set';

export class RemoteCallFailed extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteCallFailed';
  }
}

async function userRemote<N extends UserCall>(name: N, body: RemoteRequest<N>): Promise<RemoteResponse<N>> {
  const res = await requestRemote(REMOTE_KEY, {
    path: `${REMOTE_PREFIX}/${name}`,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: reported below with the status
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
    throw new RemoteCallFailed(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `the presence service answered ${res.status}`);
  }
  return json as RemoteResponse<N>;
}

/** A single-use ticket for this agent's socket (all their chat projects, or one). */
export async function agentTicket(projectKey?: string): Promise<RemoteResponse<'agent-ticket'>> {
  const { grant } = await call('presence.grant', projectKey ? { projectKey } : {});
  return userRemote('agent-ticket', { grant });
}

/** The agent's own status in one project. */
export async function setMyStatus(projectKey: string, status: AgentStatus): Promise<RemoteResponse<'presence.set'>> {
  const { grant } = await call('presence.grant', { projectKey });
  return userRemote('presence.set', { projectKey, status, grant });
}
