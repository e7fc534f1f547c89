/**
 * Reads the parts of manifest.yml the local host needs, validated once into a frozen object.
 * Unknown keys are ignored: the real validator (@forge/manifest) is `npm run check`'s job.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { parseDisplayConditions, type DisplayConditions } from './display-conditions.js';
import { ForgeHostError } from './errors.js';
import type { EventTrigger } from './events.js';
import { parseTrigger } from './trigger-filter.js';
import type { EntityPropertyModule } from './types.js';

const Key = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/);
// A UI module's resolver is a Forge function or a remote endpoint, never both (the manifest schema's anyOf).
const UiModule = z
  .object({ key: Key, resource: Key.optional(), resolver: z.union([z.object({ function: Key }).strict(), z.object({ endpoint: Key }).strict()]).optional() })
  .passthrough();
const ManifestFile = z.object({
  modules: z.record(z.string(), z.array(z.object({ key: Key }).passthrough())).default({}),
  resources: z.array(z.object({ key: Key, path: z.string().min(1) })).default([]),
  remotes: z.array(z.object({ key: Key, baseUrl: z.string() }).passthrough()).default([]),
  permissions: z
    .object({
      scopes: z.array(z.string()).default([]),
      external: z
        .object({
          fetch: z
            .object({
              client: z.array(z.union([z.string(), z.object({ remote: Key }).passthrough(), z.object({ address: z.string() }).passthrough()])).default([]),
            })
            .partial()
            .default({}),
        })
        .partial()
        .default({}),
    })
    .passthrough()
    .default({ scopes: [], external: {} }),
  app: z.object({ id: z.string().regex(/^ari:cloud:ecosystem::app\/[0-9a-f-]{36}$/) }).passthrough(),
});

/** Module types rendered as Custom UI frames (they have a resource and maybe a resolver). */
export const UI_MODULE_TYPES = [
  'jira:issueContext',
  'jira:projectPage',
  'jira:projectSettingsPage',
  'jira:adminPage',
  'jira:issuePanel',
  'jira:globalPage',
] as const;

export interface UiModuleDef {
  readonly type: string;
  readonly key: string;
  readonly resource?: string;
  readonly resolverFunction?: string;
  readonly resolverEndpoint?: string;
  readonly displayConditions?: DisplayConditions;
}
/** A `trigger` module: its events, each with the filter Forge applies (trigger-filter.ts). */
export type TriggerDef = EventTrigger;
/**
 * A `scheduledTrigger` module. Intervals as documented:
 * https://developer.atlassian.com/platform/forge/manifest-reference/modules/scheduled-trigger/
 */
export const SCHEDULED_INTERVALS = ['fiveMinute', 'hour', 'day', 'week'] as const;
export interface ScheduledTriggerDef {
  readonly key: string;
  readonly functionKey: string;
  readonly interval: (typeof SCHEDULED_INTERVALS)[number];
}
export interface FunctionDef {
  readonly key: string;
  readonly file: string;
  readonly exportName: string;
}

export interface AppManifest {
  /** The app's uuid (what the runtime calls appId); the ARI is `ari:cloud:ecosystem::app/<appId>`. */
  readonly appId: string;
  readonly functions: ReadonlyMap<string, FunctionDef>;
  readonly uiModules: ReadonlyMap<string, UiModuleDef>;
  readonly webtriggers: ReadonlyMap<string, string>;
  readonly triggers: readonly TriggerDef[];
  readonly scheduledTriggers: ReadonlyMap<string, ScheduledTriggerDef>;
  readonly resources: ReadonlyMap<string, string>;
  readonly remotes: ReadonlyMap<string, string>;
  /** `endpoint` modules: key -> remote key (what a UI module's `resolver.endpoint` names). */
  readonly endpoints: ReadonlyMap<string, string>;
  /** Remotes a Custom UI may call from the browser (`permissions.external.fetch.client[].remote`). */
  readonly clientFetchRemotes: ReadonlySet<string>;
  readonly scopes: ReadonlySet<string>;
  /** `jira:entityProperty` modules, handed to Jira at install. */
  readonly entityProperties: readonly EntityPropertyModule[];
}

/** @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-entity-property/ */
const EntityPropertyDecl = z.object({
  propertyKey: z.string().min(1).max(255),
  entityType: z.enum(['issue', 'project', 'user']).default('issue'),
  values: z.array(
    z.object({
      path: z.string().min(1).max(255),
      type: z.enum(['number', 'string', 'text', 'user', 'date']),
      searchAlias: z
        .string()
        .regex(/^[a-zA-Z0-9._-]{1,255}$/)
        .optional(),
    }),
  ),
});

export async function loadManifest(appDir: string): Promise<AppManifest> {
  const file = path.join(appDir, 'manifest.yml');
  let raw: unknown;
  try {
    raw = parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ForgeHostError('MANIFEST_INVALID', `cannot read ${file}: ${(err as Error).message}`);
  }
  const parsed = ManifestFile.safeParse(raw);
  if (!parsed.success)
    throw new ForgeHostError('MANIFEST_INVALID', `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const m = parsed.data;
  const mods = m.modules;

  const functions = new Map<string, FunctionDef>();
  for (const f of mods['function'] ?? []) {
    const handler = z
      .string()
      .regex(/^[A-Za-z0-9_/.-]+\.[A-Za-z_$][\w$]*$/)
      .safeParse((f as { handler?: unknown }).handler);
    if (!handler.success) throw new ForgeHostError('MANIFEST_INVALID', `function ${f.key}: handler must look like "dir/file.exportName"`);
    const dot = handler.data.lastIndexOf('.');
    // Handler paths are relative to ./src, like the Forge bundler resolves them.
    functions.set(f.key, { key: f.key, file: path.join(appDir, 'src', `${handler.data.slice(0, dot)}.ts`), exportName: handler.data.slice(dot + 1) });
  }

  const uiModules = new Map<string, UiModuleDef>();
  for (const type of UI_MODULE_TYPES) {
    for (const raw of mods[type] ?? []) {
      const u = UiModule.parse(raw);
      let displayConditions: DisplayConditions | undefined;
      try {
        displayConditions = parseDisplayConditions(u.key, (raw as { displayConditions?: unknown }).displayConditions);
      } catch (err) {
        throw new ForgeHostError('MANIFEST_INVALID', (err as Error).message);
      }
      const r = u.resolver;
      uiModules.set(u.key, {
        type,
        key: u.key,
        resource: u.resource,
        resolverFunction: r && 'function' in r ? r.function : undefined,
        resolverEndpoint: r && 'endpoint' in r ? r.endpoint : undefined,
        displayConditions,
      });
    }
  }

  const endpoints = new Map<string, string>();
  for (const e of mods['endpoint'] ?? []) endpoints.set(e.key, z.object({ remote: Key }).parse(e).remote);
  for (const u of uiModules.values()) {
    if (u.resolverEndpoint && !endpoints.has(u.resolverEndpoint))
      throw new ForgeHostError('MANIFEST_INVALID', `module ${u.key} refers to undeclared endpoint "${u.resolverEndpoint}"`);
  }
  for (const [key, remote] of endpoints) {
    if (!m.remotes.some((r) => r.key === remote)) throw new ForgeHostError('MANIFEST_INVALID', `endpoint ${key} refers to undeclared remote "${remote}"`);
  }

  const webtriggers = new Map<string, string>();
  for (const w of mods['webtrigger'] ?? []) webtriggers.set(w.key, z.object({ function: Key }).parse(w).function);

  const triggers: TriggerDef[] = [];
  // Checked with @forge/manifest's own schema, filters compiled (or refused) here, at load.
  for (const t of mods['trigger'] ?? []) triggers.push(Object.freeze(parseTrigger(t)));

  const scheduledTriggers = new Map<string, ScheduledTriggerDef>();
  for (const t of mods['scheduledTrigger'] ?? []) {
    const d = z.object({ function: Key, interval: z.enum(SCHEDULED_INTERVALS) }).safeParse(t);
    if (!d.success)
      throw new ForgeHostError('MANIFEST_INVALID', `scheduledTrigger ${t.key}: needs a function and an interval of ${SCHEDULED_INTERVALS.join(', ')}`);
    scheduledTriggers.set(t.key, Object.freeze({ key: t.key, functionKey: d.data.function, interval: d.data.interval }));
  }

  for (const key of [
    ...webtriggers.values(),
    ...triggers.map((t) => t.functionKey),
    ...[...scheduledTriggers.values()].map((t) => t.functionKey),
    ...[...uiModules.values()].flatMap((u) => u.resolverFunction ?? []),
  ]) {
    if (!functions.has(key)) throw new ForgeHostError('MANIFEST_INVALID', `module refers to undeclared function "${key}"`);
  }

  const entityProperties = (mods['jira:entityProperty'] ?? []).map((e) => {
    const d = EntityPropertyDecl.safeParse(e);
    if (!d.success)
      throw new ForgeHostError(
        'MANIFEST_INVALID',
        `jira:entityProperty ${e.key}: ${d.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    return Object.freeze(d.data);
  });

  return Object.freeze({
    entityProperties: Object.freeze(entityProperties),
    appId: m.app.id.slice('ari:cloud:ecosystem::app/'.length),
    functions,
    uiModules,
    webtriggers,
    triggers: Object.freeze(triggers),
    scheduledTriggers,
    resources: new Map(m.resources.map((r) => [r.key, path.join(appDir, r.path)])),
    remotes: new Map(m.remotes.map((r) => [r.key, r.baseUrl])),
    endpoints,
    clientFetchRemotes: new Set<string>(
      (m.permissions.external.fetch?.client ?? []).flatMap((c) => (typeof c === 'object' && 'remote' in c ? [String(c.remote)] : [])),
    ),
    scopes: new Set(m.permissions.scopes),
  });
}
