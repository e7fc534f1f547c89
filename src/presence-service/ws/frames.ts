/**
 * Turning a raw WebSocket message into a validated frame. A rejection names what was
 * wrong (zod issue path) and never echoes the frame's content back or into logs.
 */
import type { RawData } from 'ws';
import type { z } from 'zod';
import { describeIssue } from '../../protocol/issues.js';

export type FrameResult<T> = { ok: true; frame: T } | { ok: false; code: 'bad_frame' | 'invalid'; message: string; ref?: string };

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

/**
 * `fast`: a hand-written check for the most common frame (protocol/customer-ws.ts
 * parseMessageSendFast) that answers exactly as the schema would, or null to leave the
 * frame to the schema.
 */
export function parseFrame<S extends z.ZodTypeAny>(
  schema: S,
  knownTypes: ReadonlySet<string>,
  data: RawData,
  fast?: (json: Record<string, unknown>) => z.infer<S> | null,
): FrameResult<z.infer<S>> {
  let json: unknown;
  try {
    json = JSON.parse(rawText(data));
  } catch {
    return { ok: false, code: 'bad_frame', message: 'frame is not valid JSON' };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { ok: false, code: 'bad_frame', message: 'frame must be a JSON object' };
  const type = (json as { type?: unknown }).type;
  if (typeof type !== 'string' || !knownTypes.has(type)) return { ok: false, code: 'bad_frame', message: 'unknown frame type' };
  const quick = fast?.(json as Record<string, unknown>);
  if (quick) return { ok: true, frame: quick };
  const ref = (json as { clientMsgId?: unknown }).clientMsgId;
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, frame: parsed.data };
  return {
    ok: false,
    code: 'invalid',
    message: describeIssue(parsed.error.issues[0], type),
    ref: typeof ref === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(ref) ? ref : undefined,
  };
}

/** The `type` literals of a discriminated union of object schemas. */
export function frameTypes(schema: { options: readonly { shape: { type: { value: unknown } } }[] }): ReadonlySet<string> {
  return new Set(schema.options.map((o) => String(o.shape.type.value)));
}
