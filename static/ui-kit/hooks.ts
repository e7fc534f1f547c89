import { useEffect, useState } from 'preact/hooks';

/** Current time, re-read every `everyMs`: drives waiting clocks and "x min ago". */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
