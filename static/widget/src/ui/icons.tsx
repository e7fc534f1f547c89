/** Inline SVG paths (Material-style), so the widget needs no extra requests. */
const path = (d: string) => (
  <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    <path d={d} />
  </svg>
);
export const ChatIcon = () => path('M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-4 4V5a2 2 0 0 1 0-2zm3 6v2h10V9H7zm0-3v2h10V6H7zm0 6v2h7v-2H7z');
export const CloseIcon = () => path('M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z');
export const SendIcon = () => path('M2 21 23 12 2 3v7l15 2-15 2z');
export const ClipIcon = () =>
  path('M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6h-1.5z');
