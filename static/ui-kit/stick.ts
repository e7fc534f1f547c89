import { useRef } from 'preact/hooks';

/** Pixels from the bottom within which a chat list counts as "at the newest message". */
export const STICK_PX = 48;

/**
 * Stick-to-bottom for a chat list, shared by the widget and the agents' panel: while the
 * reader is at the newest message, new messages, typing and images that grow the list once
 * they load keep it in view; once they scrolled up, `follow` leaves the list alone.
 *
 * The list's own scrolling must not read as the reader leaving the bottom: the scroll event
 * an assignment fires arrives a frame later, possibly after an image grew the list (that
 * race left new images below the fold now and then), so a scroll landing where we put it
 * is ours. The list should also have `overflow-anchor: none`: the browser's scroll anchoring
 * moves scrollTop by itself as rows change height. Imports only preact's hooks (the widget
 * bundles them already).
 */
export function useStickToBottom<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const s = useRef({ at: true, ours: null as number | null }).current;
  const stick = () => {
    const el = ref.current;
    s.at = true;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    s.ours = el.scrollTop;
  };
  return {
    ref,
    /** To the newest message, wherever the reader was. */
    stick,
    /** To the newest message if the reader is there (new content, an image loaded). */
    follow: () => s.at && stick(),
    /** Stop following (older messages are being put above). */
    release: () => (s.at = false),
    /** The list's scroll handler. */
    onScroll: () => {
      const el = ref.current;
      const ours = s.ours !== null && !!el && Math.abs(el.scrollTop - s.ours) < 2;
      s.ours = null;
      if (el && !ours) s.at = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
    },
  };
}
