/**
 * One whole local system (JSM stand-in, Forge host, presence service, demo site) for a test
 * file: started in a fresh temp folder before the suite and closed and removed after it,
 * whatever the tests did. Hook errors are printed, because uvu swallows them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'uvu';
import { startSystem, type System } from '../system.js';

export interface SystemContext {
  system: System;
  dir: string;
}

/** Registers before/after hooks on `test`; `setup` runs once the system is up, `teardown` before it closes. */
export function withSystem<C extends SystemContext>(
  test: Test<C>,
  name: string,
  hooks: { setup?: (ctx: C) => Promise<void>; teardown?: (ctx: C) => Promise<void> } = {},
): void {
  test.before(async (ctx) => {
    ctx.dir = await mkdtemp(join(tmpdir(), `${name}-`));
    try {
      ctx.system = await startSystem({ dataDir: ctx.dir });
      await hooks.setup?.(ctx);
    } catch (e) {
      console.error(`${name}: the sandbox did not start:`, e);
      throw e;
    }
  });
  test.after(async (ctx) => {
    await hooks.teardown?.(ctx).catch(() => {});
    await ctx.system?.close();
    await rm(ctx.dir, { recursive: true, force: true });
  });
}
