// Load something once (and again on reload or when `key` changes); late answers of an older load are dropped.
import { useCallback, useEffect, useRef, useState } from "react";

export interface Resource<T> {
  data: T | null; // null until loaded
  error: unknown; // the thrown error (ApiError) of the last load, null when it succeeded
  loading: boolean;
  reload(): void;
  set(value: T): void;
}

export function useResource<T>(load: (() => Promise<T>) | null, key: string = ""): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(load !== null);
  const seq = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  const reload = useCallback(() => {
    const fn = loader.current;
    const mine = ++seq.current;
    if (!fn) {
      setLoading(false);
      return;
    }
    setLoading(true);
    setError(null);
    fn()
      .then((d) => mine === seq.current && setData(d))
      .catch((e: unknown) => mine === seq.current && setError(e ?? new Error("failed")))
      .finally(() => mine === seq.current && setLoading(false));
  }, []);

  useEffect(() => {
    setData(null);
    reload();
    return () => {
      seq.current++;
    };
  }, [reload, key]);

  const set = useCallback((value: T) => setData(value), []);
  return { data, error, loading, reload, set };
}

/** The current time (epoch ms), refreshed once a minute (ages in days and overdue dates need no more). */
export function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  return now;
}
