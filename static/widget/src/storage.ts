/**
 * localStorage namespaced by widget id. Storage can be absent or throw (Safari private
 * mode, blocked third-party storage): the widget then works for the page's lifetime only.
 */
export interface Store {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  remove(key: string): void;
}

export function widgetStore(widgetId: string): Store {
  const ns = `jsmchat:${widgetId}:`;
  const mem = new Map<string, string>();
  const ls = (): Storage | null => {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  };
  return {
    get<T>(key: string): T | undefined {
      let raw: string | null | undefined = mem.get(key);
      try {
        raw = ls()?.getItem(ns + key) ?? raw;
      } catch {
        /* fall back to memory */
      }
      if (raw == null) return undefined;
      try {
        return JSON.parse(raw) as T;
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      const raw = JSON.stringify(value);
      mem.set(key, raw);
      try {
        ls()?.setItem(ns + key, raw);
      } catch {
        /* quota or blocked: memory copy stays */
      }
    },
    remove(key) {
      mem.delete(key);
      try {
        ls()?.removeItem(ns + key);
      } catch {
        /* ignore */
      }
    },
  };
}
