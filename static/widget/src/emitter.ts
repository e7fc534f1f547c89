export type WidgetEvent = 'ready' | 'open' | 'close' | 'message:received' | 'message:sent' | 'unread';
export const WIDGET_EVENTS: readonly WidgetEvent[] = ['ready', 'open', 'close', 'message:received', 'message:sent', 'unread'];
type Listener = (payload?: unknown) => void;

/** The public event surface of window.JsmChat; a throwing host listener must not break the widget. */
export class Emitter {
  private readonly map = new Map<WidgetEvent, Set<Listener>>();
  on(event: WidgetEvent, fn: Listener): void {
    if (!WIDGET_EVENTS.includes(event) || typeof fn !== 'function') return;
    let set = this.map.get(event);
    if (!set) this.map.set(event, (set = new Set()));
    set.add(fn);
  }
  off(event: WidgetEvent, fn: Listener): void {
    this.map.get(event)?.delete(fn);
  }
  emit(event: WidgetEvent, payload?: unknown): void {
    for (const fn of this.map.get(event) ?? []) {
      try {
        fn(payload);
      } catch (e) {
        console.error('[JsmChat] listener for', event, 'threw', e);
      }
    }
  }
}
