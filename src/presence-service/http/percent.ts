/**
 * Percent-decoding of text a client or an object store gave us. `decodeURIComponent`
 * throws URIError on a malformed escape ("%E0%A4%A", "%ZZ"): callers get null and decide.
 * Request paths never come here: the router (router.ts) decodes them and answers a
 * malformed one with 400 `bad_url`.
 */
export function decodePercent(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
