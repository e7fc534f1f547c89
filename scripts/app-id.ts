/**
 * Which Forge app id the deployable app (dist/forge-app) carries, so that `npm run build`
 * after `forge register` keeps deploying to the same app.
 *
 * `forge register` writes the new app's id into the manifest.yml of the folder it runs
 * in, i.e. dist/forge-app/manifest.yml, which the build rewrites. So, first match wins:
 *  1. FORGE_APP_ID (a uuid or the full ARI): for CI, where there is no earlier build;
 *  2. `forge-app.id` at the repository root: one line, the ARI. The build creates it once,
 *     from the id `forge register` left in dist/forge-app, and never overwrites it, so
 *     the id also survives `rm -rf dist` or a fresh clone of a fork that commits it;
 *  3. the id `forge register` left in dist/forge-app/manifest.yml (then saved as in 2);
 *  4. the placeholder in the repository's manifest.yml (the local sandbox's app; the
 *     build says that `forge register` is still to be run).
 * A registered id in dist/forge-app that differs from `forge-app.id` means the app was
 * registered again: the build stops and asks which one to keep instead of guessing.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { parse } from 'yaml';

/** At the repository root; one line, the app's ARI. */
export const APP_ID_FILE = 'forge-app.id';
const ARI_PREFIX = 'ari:cloud:ecosystem::app/';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type AppIdSource = 'FORGE_APP_ID' | 'forge-app.id' | 'forge register' | 'placeholder';
export interface ResolvedAppId {
  /** The full ARI, as manifest.yml's app.id. */
  readonly ari: string;
  /** The uuid (what the presence service's FORGE_APP_IDS lists). */
  readonly uuid: string;
  readonly source: AppIdSource;
  /** True when this build created `forge-app.id`. */
  readonly saved: boolean;
}

export interface AppIdInputs {
  /** FORGE_APP_ID as given, if any. */
  env: string | undefined;
  /** Path of `forge-app.id`. */
  idFile: string;
  /** Path of the previous build's manifest (dist/forge-app/manifest.yml); may not exist. */
  previousManifest: string;
  /** app.id of the repository's manifest.yml (the placeholder). */
  placeholder: string;
}

export class AppIdError extends Error {}

/** Accepts `ari:cloud:ecosystem::app/<uuid>` or a bare uuid; returns the ARI. */
export function toAppAri(value: string, where: string): string {
  const v = value.trim();
  const uuid = v.startsWith(ARI_PREFIX) ? v.slice(ARI_PREFIX.length) : v;
  if (!UUID.test(uuid)) throw new AppIdError(`${where}: "${v}" is not a Forge app id (expected ${ARI_PREFIX}<uuid> or the uuid)`);
  return ARI_PREFIX + uuid.toLowerCase();
}

async function previousRegisteredId(file: string, placeholder: string): Promise<string | undefined> {
  if (!existsSync(file)) return undefined;
  let id: unknown;
  try {
    id = (parse(await readFile(file, 'utf8')) as { app?: { id?: unknown } } | null)?.app?.id;
  } catch {
    return undefined; // a broken earlier build: nothing to keep
  }
  if (typeof id !== 'string' || id.trim() === '') return undefined;
  const ari = toAppAri(id, file);
  return ari === placeholder ? undefined : ari;
}

export async function resolveAppId(i: AppIdInputs): Promise<ResolvedAppId> {
  const placeholder = toAppAri(i.placeholder, 'manifest.yml app.id');
  const done = (ari: string, source: AppIdSource, saved = false): ResolvedAppId => ({ ari, uuid: ari.slice(ARI_PREFIX.length), source, saved });
  if (i.env?.trim()) return done(toAppAri(i.env, 'FORGE_APP_ID'), 'FORGE_APP_ID');
  const registered = await previousRegisteredId(i.previousManifest, placeholder);
  if (existsSync(i.idFile)) {
    const saved = toAppAri(await readFile(i.idFile, 'utf8'), i.idFile);
    if (registered && registered !== saved) {
      throw new AppIdError(
        `the app in dist/forge-app was registered as ${registered}, but ${i.idFile} says ${saved}. ` +
          `Delete ${i.idFile} to keep the new registration, or set FORGE_APP_ID to choose.`,
      );
    }
    return done(saved, 'forge-app.id');
  }
  if (registered) {
    // `wx`: never overwrite a file that appeared meanwhile (another build).
    await writeFile(i.idFile, registered + '\n', { flag: 'wx' });
    return done(registered, 'forge register', true);
  }
  return done(placeholder, 'placeholder');
}
