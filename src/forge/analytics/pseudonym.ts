/**
 * Pseudonymous ids: HMAC-SHA256 under a random key per installation, kept as a Forge
 * secret. The same customer maps to the same id within one site (so funnels work), ids of
 * two sites never match, and nobody without the key can test a guess (a plain hash of an
 * account id could be reversed by hashing every known id).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { kvs } from '@forge/kvs';

const KEY_SECRET = 'analytics.pseudonym-key';

export type Pseudonymize = (kind: 'visitor' | 'conversation' | 'project' | 'agent' | 'event', raw: string) => string;

export function pseudonymizer(key: string): Pseudonymize {
  // The kind is part of the message: an agent id and a visitor id never collide by accident.
  return (kind, raw) => createHmac('sha256', key).update(`${kind}\u0000${raw}`).digest('hex').slice(0, 32);
}

/** The installation's key, created on first use (two first uses racing: the last write wins, both read it back). */
export async function installationKey(): Promise<string> {
  const have = await kvs.getSecret<string>(KEY_SECRET);
  if (typeof have === 'string' && have.length >= 32) return have;
  await kvs.setSecret(KEY_SECRET, randomBytes(32).toString('base64'));
  return (await kvs.getSecret<string>(KEY_SECRET)) as string;
}
