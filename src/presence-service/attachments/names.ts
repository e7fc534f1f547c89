import type { SniffedType } from './sniff.js';

/**
 * Turns a client-supplied file name into one that is safe to show, store and hand back in
 * Content-Disposition: no path, no control or bidi-override characters (which can make
 * "invoice\u202Efdp.exe" read as "invoiceexe.pdf"), no characters Windows refuses, no
 * reserved device names, a bounded length, and an extension that agrees with the sniffed
 * type — so a PNG named ".html" is saved by the browser as ".png".
 */
export const MAX_NAME_CHARS = 120;
const FALLBACK_BASE = 'file';

// C0, DEL, C1; bidi embeddings/overrides/isolates and marks; zero-width and BOM.
const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/gu;
const WINDOWS_FORBIDDEN = /[<>:"/\\|?*]/g;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
// Half of a surrogate pair with no other half: JSON (WhatsApp's filename) can carry one, and
// encodeURIComponent (Content-Disposition) throws on it. Found by fuzzing.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function sanitizeFileName(raw: string, type: SniffedType): string {
  let name = raw.replace(LONE_SURROGATE, '').normalize('NFC');
  // Strip any path, whichever separator the client's OS uses.
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  name = name.replace(INVISIBLE, '').replace(WINDOWS_FORBIDDEN, '_').replace(/\s+/gu, ' ');
  name = name.replace(/^[\s.]+|[\s.]+$/gu, '');

  const dot = name.lastIndexOf('.');
  let base = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const keepExt = ext === type.ext || type.alsoExt.includes(ext);
  // A wrong extension is dropped, not kept inside the base: "x.html" becomes "x.png".
  base = base.replace(/[\s.]+$/u, '');
  // Windows ignores trailing spaces of a device name: "con .x" is CON too.
  if (!base || RESERVED.test((base.split('.')[0] ?? '').trimEnd())) base = base ? `_${base}` : FALLBACK_BASE;

  const suffix = '.' + (keepExt ? ext : type.ext);
  const chars = Array.from(base); // by code point, so a surrogate pair is never cut in half
  if (chars.length + suffix.length > MAX_NAME_CHARS)
    base = chars
      .slice(0, MAX_NAME_CHARS - suffix.length)
      .join('')
      .trimEnd();
  return base + suffix;
}

/**
 * Content-Disposition for a download: always "attachment", an ASCII fallback for old
 * clients and the exact name as RFC 5987 `filename*`.
 */
export function contentDisposition(raw: string): string {
  // Names stored before sanitising dropped lone surrogates must still download.
  const name = raw.replace(LONE_SURROGATE, '\uFFFD');
  const ascii = name.replace(/[^\x20-\x7E]/g, '_').replace(/["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

function encodeRfc5987(s: string): string {
  return encodeURIComponent(s).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}
