// One pending action at a time with its error (kept until the next action) and the action's name.
import { useCallback, useRef, useState } from "react";

export interface Action {
  busy: boolean;
  error: unknown;
  /** What failed ("Could not close NCR-000012"). */
  failed: string;
  run<T>(what: string, fn: () => Promise<T>): Promise<T | undefined>;
  clear(): void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [failed, setFailed] = useState("");
  const running = useRef(false);
  const run = useCallback(async <T,>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    if (running.current) return undefined;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setFailed(what);
      setError(e ?? new Error("failed"));
      return undefined;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { busy, error, failed, run, clear };
}
