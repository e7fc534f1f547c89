import { useState } from 'preact/hooks';
import { Button } from './Button.js';

/** Copy button with a fallback for frames where the Clipboard API is not allowed. */
export function CopyButton({ text, label, copiedLabel }: { text: string; label: string; copiedLabel: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const ta = document.createElement('textarea');
      ta.value = text;
      document.body.appendChild(ta);
      ta.select();
      document.execCommand('copy');
      ta.remove();
    }
    setDone(true);
    setTimeout(() => setDone(false), 2000);
  };
  return (
    <Button compact onClick={() => void copy()} aria-live="polite">
      {done ? copiedLabel : label}
    </Button>
  );
}
