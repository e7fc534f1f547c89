/**
 * Percent-decoding of a request path segment. `decodeURIComponent` throws URIError on a
 * malformed escape ("%E0%A4%A", "%ZZ"), and any client can send one: callers get null and
 * answer 404 instead of the request ending as an internal error (found by fuzzing).
 */
export function decodePathSegment(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
