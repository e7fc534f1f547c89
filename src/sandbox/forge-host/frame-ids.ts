/**
 * Frame ids a restarted host still recognises. In Jira a Custom UI's bridge talks to the
 * Jira page around the iframe (postMessage), so an app deploy or a backend restart never
 * breaks an open frame; only a page reload makes a new one.
 * @see https://developer.atlassian.com/platform/forge/apis-reference/ui-api-bridge/bridge/
 * The local host answers the bridge over HTTP, so its in-memory frame table is lost on
 * restart; the honest equivalent is an id that carries what the frame was opened for
 * (module, user, issue/project) under an HMAC with a key kept in dataDir. A restarted host
 * verifies the id and rebuilds the frame's context from Jira (display conditions included),
 * so a forged or altered id is still refused (410 FRAME_UNKNOWN).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { JsonFileWriter, readJsonFile } from './json-file.js';

const KEY_FILE = 'frame-id-key.json';
/** base64url of an HMAC-SHA256: always this many characters at the end of an id. */
const MAC_CHARS = 43;
/** Ids travel in a URL path segment the host routes with [A-Za-z0-9_-]+. */
const MAX_ID_CHARS = 1_000;

/** What a frame was opened for: enough to rebuild its context after a restart. */
export interface FrameClaims {
  /** module key */
  m: string;
  /** accountId of the user the page was opened as */
  a: string;
  i?: string;
  p?: string;
  /** a nonce, so two frames opened for the same thing have different ids */
  n: string;
}

export class FrameIds {
  private constructor(private readonly key: Buffer) {}

  static async open(dataDir: string): Promise<FrameIds> {
    const file = path.join(dataDir, KEY_FILE);
    let stored = await readJsonFile<{ key: string }>(file);
    if (!stored) {
      stored = { key: randomBytes(32).toString('base64url') };
      const toWrite = stored;
      await new JsonFileWriter(file).write(() => toWrite);
    }
    return new FrameIds(Buffer.from(stored.key, 'base64url'));
  }

  issue(claims: Omit<FrameClaims, 'n'>): string {
    const body = Buffer.from(JSON.stringify({ ...claims, n: randomBytes(9).toString('base64url') })).toString('base64url');
    return body + this.mac(body);
  }

  /** The claims of an id this host (or an earlier run on the same dataDir) issued; undefined otherwise. */
  verify(id: string): FrameClaims | undefined {
    if (id.length <= MAC_CHARS || id.length > MAX_ID_CHARS) return undefined;
    const body = id.slice(0, -MAC_CHARS);
    const given = Buffer.from(id.slice(-MAC_CHARS));
    const want = Buffer.from(this.mac(body));
    if (given.length !== want.length || !timingSafeEqual(given, want)) return undefined;
    try {
      const c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as FrameClaims;
      return typeof c.m === 'string' && typeof c.a === 'string' ? c : undefined;
    } catch {
      return undefined;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
