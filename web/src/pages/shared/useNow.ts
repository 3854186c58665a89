import { useEffect, useState } from "react";

// One shared 1 s ticker for every "x s ago" label on screen.
const subscribers = new Set<(t: number) => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(fn: (t: number) => void): () => void {
  subscribers.add(fn);
  timer ??= setInterval(() => {
    const t = Date.now();
    subscribers.forEach((s) => s(t));
  }, 1000);
  return () => {
    subscribers.delete(fn);
    if (subscribers.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The current time (epoch ms), re-rendering once a second. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => subscribe(setNow), []);
  return now;
}
