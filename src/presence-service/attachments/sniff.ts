import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';

/**
 * What may be attached, decided by the bytes alone (never the name or Content-Type):
 * - images: PNG, JPEG, GIF, WebP — what a support chat mostly carries (screenshots);
 * - PDF;
 * - Word and Excel documents in their macro-free OOXML forms (.docx, .xlsx): customers
 *   send invoices and exports. file-type tells them apart from .docm/.xlsm and from plain
 *   zips by reading the zip's content types, which is why it reads the whole spooled file;
 * - plain text: valid UTF-8 with no NUL byte that does not open with markup.
 * Not accepted: plain zip and other archives (opaque containers, nothing to show an agent),
 * executables, and any HTML, SVG or XML — even though downloads are served as
 * attachments with nosniff, markup is the classic way to run script from a file link.
 */
export interface SniffedType {
  mime: string;
  /** Canonical extension (names.ts makes the file name agree with it). */
  ext: string;
  /** Other extensions a name may keep for this type. */
  alsoExt: readonly string[];
}

const BY_MIME: Readonly<Record<string, SniffedType>> = Object.freeze({
  'image/png': { mime: 'image/png', ext: 'png', alsoExt: [] },
  'image/jpeg': { mime: 'image/jpeg', ext: 'jpg', alsoExt: ['jpeg', 'jpe'] },
  'image/gif': { mime: 'image/gif', ext: 'gif', alsoExt: [] },
  'image/webp': { mime: 'image/webp', ext: 'webp', alsoExt: [] },
  'application/pdf': { mime: 'application/pdf', ext: 'pdf', alsoExt: [] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ext: 'docx',
    alsoExt: [],
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ext: 'xlsx',
    alsoExt: [],
  },
});

export const PLAIN_TEXT: SniffedType = Object.freeze({ mime: 'text/plain', ext: 'txt', alsoExt: ['log', 'csv', 'md'] });

export const ALLOWED_TYPES_TEXT = 'Only images (PNG, JPEG, GIF, WebP), PDF, Word and Excel documents (.docx, .xlsx) and plain UTF-8 text can be attached.';

export type SniffResult = { ok: true; type: SniffedType } | { ok: false; reason: 'markup' | 'unsupported' | 'empty' };

/**
 * Watches the bytes as they are spooled, so text is judged on the whole file without a
 * second read: a streaming fatal UTF-8 decoder, a NUL check, and the first non-blank char.
 */
export class TextProbe {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  private valid = true;
  private first: string | null = null;

  push(chunk: Buffer): void {
    if (!this.valid) return;
    if (chunk.includes(0)) {
      this.valid = false;
      return;
    }
    try {
      this.noteFirst(this.decoder.decode(chunk, { stream: true }));
    } catch {
      this.valid = false;
    }
  }

  /** 'text' if the whole input was clean UTF-8, 'markup' if it opened with '<', else 'binary'. */
  finish(): 'text' | 'markup' | 'binary' {
    if (this.valid) {
      try {
        this.noteFirst(this.decoder.decode());
      } catch {
        this.valid = false;
      }
    }
    if (!this.valid) return 'binary';
    return this.first === '<' ? 'markup' : 'text';
  }

  private noteFirst(text: string): void {
    if (this.first !== null) return;
    const m = /[^\s\uFEFF]/u.exec(text);
    if (m) this.first = m[0];
  }
}

/** The verdict from what file-type recognised (if anything) and what the text probe saw. */
function judge(detected: { mime: string } | undefined, textVerdict: ReturnType<TextProbe['finish']>): SniffResult {
  if (detected) {
    const type = BY_MIME[detected.mime];
    if (type) return { ok: true, type };
    return { ok: false, reason: detected.mime.includes('xml') || detected.mime.includes('html') ? 'markup' : 'unsupported' };
  }
  if (textVerdict === 'text') return { ok: true, type: PLAIN_TEXT };
  return { ok: false, reason: textVerdict === 'markup' ? 'markup' : 'unsupported' };
}

export async function sniffFile(path: string, size: number, text: TextProbe): Promise<SniffResult> {
  if (size === 0) return { ok: false, reason: 'empty' };
  const textVerdict = text.finish();
  return judge(await fileTypeFromFile(path), textVerdict);
}

/** The same judgement for bytes already in memory (files fetched by the service itself, e.g. WhatsApp media). */
export async function sniffBuffer(bytes: Buffer): Promise<SniffResult> {
  if (bytes.length === 0) return { ok: false, reason: 'empty' };
  const text = new TextProbe();
  text.push(bytes);
  return judge(await fileTypeFromBuffer(bytes), text.finish());
}

/** The Content-Type a download is served with: text gets its charset spelled out. */
export function servedContentType(mime: string): string {
  return mime === PLAIN_TEXT.mime ? 'text/plain; charset=utf-8' : mime;
}
