// One query at a time: run (a newer run replaces an older one), cancel (the request is aborted and its
// answer ignored; the server stops the query at its own time limit), and the last result or error.
import { useCallback, useEffect, useRef, useState } from "react";
import type { QueryResult } from "./api";

export interface RunInfo {
  /** "Ad-hoc query" or the saved query's name */
  label: string;
  at: number;
}

export interface RunnerState {
  running: RunInfo | null;
  result: QueryResult | null;
  resultOf: RunInfo | null;
  error: unknown;
  cancelled: boolean;
}

const IDLE: RunnerState = { running: null, result: null, resultOf: null, error: null, cancelled: false };

export function useQueryRunner() {
  const [state, setState] = useState<RunnerState>(IDLE);
  const seq = useRef(0);
  const ctrl = useRef<AbortController | null>(null);

  useEffect(() => () => ctrl.current?.abort(), []);

  const run = useCallback(async (label: string, exec: (signal: AbortSignal) => Promise<QueryResult>) => {
    ctrl.current?.abort();
    const c = new AbortController();
    ctrl.current = c;
    const n = ++seq.current;
    const info = { label, at: Date.now() };
    setState((s) => ({ ...s, running: info, error: null, cancelled: false }));
    try {
      const result = await exec(c.signal);
      if (n === seq.current) setState({ running: null, result, resultOf: info, error: null, cancelled: false });
    } catch (e) {
      if (n === seq.current) setState((s) => ({ ...s, running: null, error: e, cancelled: false }));
    }
  }, []);

  const cancel = useCallback(() => {
    seq.current++;
    ctrl.current?.abort();
    ctrl.current = null;
    setState((s) => ({ ...s, running: null, cancelled: true }));
  }, []);

  return { state, run, cancel };
}
