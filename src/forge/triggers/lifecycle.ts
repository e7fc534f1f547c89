/**
 * `avi:forge:installed:app` / `avi:forge:upgraded:app`: link the installation with the
 * presence service. A failure is logged (without detail that could hold a secret) and
 * left to the admin page's "relink" button: installation must not fail for it.
 */
import { link } from '../lib/link.js';

export async function onLifecycle(): Promise<void> {
  try {
    await link();
  } catch (e) {
    console.error('link with the presence service failed:', e instanceof Error ? e.name : typeof e);
  }
}
