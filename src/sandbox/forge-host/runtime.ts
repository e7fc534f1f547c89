/**
 * The process-wide Forge globals. @forge/api and @forge/kvs call `global.__forge_fetch__`
 * and read `global.__forge_runtime__`; several hosts (sites) and many concurrent invocations
 * share one process, so both globals are installed once and find the current invocation
 * through AsyncLocalStorage.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { ForgeHostError } from './errors.js';
import { INVOCATION_TIMEOUT_MS, TRIGGER_TIMEOUT_MS } from './limits.js';

/** What @forge/api passes as the first argument of `__forge_fetch__`. */
export interface FetchTarget {
  type: string;
  provider?: string;
  remote?: string;
  accountId?: string;
  service?: string;
}

export interface InvocationInfo {
  readonly functionKey: string;
  readonly moduleType: string;
  readonly moduleKey: string;
  /** The acting user, only for user-initiated invocations (resolvers). */
  readonly accountId?: string;
  /** UI extension context, when a Custom UI frame invoked. */
  readonly extension?: Record<string, unknown>;
}

/** One host's side of the globals. */
export interface InvocationDispatcher {
  fetch(target: FetchTarget, path: string, init: RequestInit | undefined, inv: InvocationInfo): Promise<Response>;
}

interface Current {
  readonly dispatcher: InvocationDispatcher;
  readonly info: InvocationInfo;
  readonly runtime: object;
}

const als = new AsyncLocalStorage<Current>();
const noopMetrics = {
  counter: () => ({ incr() {}, incrBy() {}, decr() {}, decrBy() {} }),
  timing: () => ({ measure: () => ({ stop() {} }) }),
  gauge: () => ({ set() {} }),
};

function dispatchFetch(target: FetchTarget, path: string, init?: RequestInit): Promise<Response> {
  const cur = als.getStore();
  if (!cur) return Promise.reject(new Error('Forge API called outside a Forge invocation (local Forge host)'));
  return cur.dispatcher.fetch(target, path, init, cur.info);
}

function currentRuntime(): object | undefined {
  return als.getStore()?.runtime;
}

/** Installs the globals, again if something else replaced them since (e.g. a test's mock). */
function installGlobals(): void {
  const g = globalThis as Record<string, unknown>;
  if (g['__forge_fetch__'] !== dispatchFetch) {
    Object.defineProperty(globalThis, '__forge_fetch__', { configurable: true, writable: true, value: dispatchFetch });
  }
  const desc = Object.getOwnPropertyDescriptor(globalThis, '__forge_runtime__');
  if (desc?.get !== currentRuntime) {
    // A getter: code that reads the runtime at module load (e.g. @forge/kvs) sees undefined and
    // takes its plain `__forge_fetch__` path, which is the one this host serves.
    Object.defineProperty(globalThis, '__forge_runtime__', {
      configurable: true,
      get: currentRuntime,
      // Someone else's assignment wins until the next invocation here reinstalls the getter.
      set: (v: unknown) => Object.defineProperty(globalThis, '__forge_runtime__', { configurable: true, writable: true, value: v }),
    });
  }
}

export interface RuntimeIdentity {
  appId: string;
  environmentId: string;
  installationId: string;
  cloudId: string;
  appVersion: string;
  scopes: readonly string[];
}

/** Runs `fn` as one Forge invocation of `info` on behalf of `dispatcher`. */
export function runInvocation<T>(dispatcher: InvocationDispatcher, id: RuntimeIdentity, info: InvocationInfo, fn: () => Promise<T>): Promise<T> {
  installGlobals();
  const invocationId = randomUUID();
  // Event and scheduled triggers get 55 s by default; resolvers and webtriggers 25 s.
  const limitMs = info.moduleType === 'core:trigger' || info.moduleType === 'core:scheduledTrigger' ? TRIGGER_TIMEOUT_MS : INVOCATION_TIMEOUT_MS;
  const deadline = Date.now() + limitMs;
  const runtime = {
    proxy: { token: '', url: '' },
    contextAri: `ari:cloud:jira::site/${id.cloudId}`,
    container: { runtime: 'nodejs22.x' },
    appContext: {
      appId: id.appId,
      appVersion: id.appVersion,
      environmentId: id.environmentId,
      environmentType: 'DEVELOPMENT',
      invocationId,
      installationId: id.installationId,
      functionKey: info.functionKey,
      moduleType: info.moduleType,
      moduleKey: info.moduleKey,
      permissions: { scopes: [...id.scopes], external: {} },
    },
    aaid: info.accountId,
    lambdaContext: { awsRequestId: invocationId, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) },
    tracing: { traceId: invocationId.replaceAll('-', ''), spanId: invocationId.slice(0, 16) },
    realtime: {},
    metrics: noopMetrics,
    featureFlags: () => false,
  };
  // Like Forge, stop waiting at the deadline (the handler's own work cannot be killed in-process).
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ForgeHostError('FUNCTION_TIMEOUT', `${info.functionKey} did not finish within ${limitMs / 1000} s`)), limitMs);
    timer.unref();
  });
  return Promise.race([als.run({ dispatcher, info, runtime }, fn), timeout]).finally(() => clearTimeout(timer));
}
