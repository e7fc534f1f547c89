/** Loads the app's function handlers named in the manifest, as the Forge bundler would resolve them. */
import { pathToFileURL } from 'node:url';
import { ForgeHostError } from './errors.js';
import type { FunctionDef } from './manifest.js';

export type Handler = (...args: unknown[]) => unknown;

export class HandlerLoader {
  private readonly cache = new Map<string, Promise<Handler>>();
  constructor(private readonly functions: ReadonlyMap<string, FunctionDef>) {}

  get(functionKey: string): Promise<Handler> {
    let p = this.cache.get(functionKey);
    if (!p) {
      p = this.load(functionKey);
      this.cache.set(functionKey, p);
      p.catch(() => this.cache.delete(functionKey));
    }
    return p;
  }

  private async load(functionKey: string): Promise<Handler> {
    const def = this.functions.get(functionKey);
    if (!def) throw new ForgeHostError('HANDLER_NOT_FOUND', `no function "${functionKey}" in manifest.yml`);
    // The process runs under tsx, so the app's TypeScript loads as it is.
    const mod = (await import(pathToFileURL(def.file).href)) as Record<string, unknown>;
    const fn = mod[def.exportName] ?? (mod['default'] as Record<string, unknown> | undefined)?.[def.exportName];
    if (typeof fn !== 'function')
      throw new ForgeHostError('HANDLER_NOT_FOUND', `${def.file} has no exported function "${def.exportName}" (function ${functionKey})`);
    return fn as Handler;
  }
}
