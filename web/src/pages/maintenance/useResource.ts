// Load something once (and again on reload or when `key` changes); late answers of an older load are dropped.
import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage } from "../shared/errors";

export interface Resource<T> {
  data: T | null; // null until loaded
  error: string | null;
  loading: boolean;
  reload(): void;
  set(update: (cur: T) => T): void;
}

export function useResource<T>(load: () => Promise<T>, key: string = ""): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  const reload = useCallback(() => {
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    loader
      .current()
      .then((d) => mine === seq.current && setData(d))
      .catch((e) => mine === seq.current && setError(errorMessage(e)))
      .finally(() => mine === seq.current && setLoading(false));
  }, []);

  useEffect(() => {
    reload();
    return () => {
      seq.current++;
    };
  }, [reload, key]);

  const set = useCallback((update: (cur: T) => T) => setData((cur) => (cur === null ? cur : update(cur))), []);
  return { data, error, loading, reload, set };
}
