import type { Json } from './ports.js';

/** Values cross the store boundary as JSON both ways, as they do in Redis: callers never share references with stored state. */
export function encode(value: Json): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('store values must be JSON');
  return text;
}

export function decode<T extends Json>(text: string | null | undefined): T | null {
  return text == null ? null : (JSON.parse(text) as T);
}
