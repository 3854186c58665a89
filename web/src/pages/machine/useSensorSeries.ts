// One chart's data: history for the fetch window (downsampled), then live points appended while the
// page is in live mode, in a sliding SeriesBuffer (no per-point allocation, old points dropped).
import { useEffect, useRef, useState } from "react";
import { SeriesBuffer } from "../../components/chart/SeriesBuffer";
import { EMPTY_DATA, type ChartData } from "../../components/chart/types";
import type { LivePoint } from "../../live";
import type { LiveBus } from "./liveBus";
import { fetchHistory, parseTs } from "./readings";
import type { Sensor } from "./useMachine";

export interface SeriesState {
  data: ChartData;
  bucketS: number | null;
  status: "loading" | "ready" | "error";
  error: string | null;
}

export interface SeriesOptions {
  /** Fetch window in epoch seconds. */
  start: number;
  end: number;
  /** Append live points (the view ends at now). */
  live: boolean;
  /** Live mode: points before this are dropped. */
  keepFrom: number;
  /** Debounce before fetching, so a burst of zoom steps makes one request. */
  debounceMs?: number;
}

export function useSensorSeries(sensor: Sensor, bus: LiveBus, o: SeriesOptions) {
  const [state, setState] = useState<SeriesState>({ data: EMPTY_DATA, bucketS: null, status: "loading", error: null });
  const [attempt, setAttempt] = useState(0);
  const buf = useRef<SeriesBuffer | null>(null);
  const loading = useRef(true);
  const pending = useRef<LivePoint[]>([]);
  const opts = useRef(o);
  useEffect(() => {
    opts.current = o;
  });

  const { start, end } = o;
  const debounceMs = o.debounceMs ?? 150;
  useEffect(() => {
    const ac = new AbortController();
    loading.current = true;
    pending.current = [];
    setState((s) => ({ ...s, status: "loading", error: null }));
    const timer = setTimeout(() => {
      fetchHistory(sensor.id, start, end, sensor.sample_rate_hz, ac.signal)
        .then((h) => {
          const b = new SeriesBuffer(h.data, { bucketS: h.bucketS });
          for (const p of pending.current) b.append(parseTs(p.ts), p.value);
          pending.current = [];
          loading.current = false;
          buf.current = b;
          setState({ data: b.view(), bucketS: h.bucketS, status: "ready", error: null });
        })
        .catch((e: Error) => {
          if (ac.signal.aborted) return;
          loading.current = false;
          setState((s) => ({ ...s, status: "error", error: e.message }));
        });
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [sensor.id, sensor.sample_rate_hz, start, end, debounceMs, attempt]);

  useEffect(
    () =>
      bus.on(sensor.id, (p) => {
        if (!opts.current.live) return;
        if (loading.current) {
          pending.current.push(p);
          return;
        }
        const b = buf.current;
        if (!b || !b.append(parseTs(p.ts), p.value)) return;
        b.dropBefore(opts.current.keepFrom);
        setState((s) => ({ ...s, data: b.view() }));
      }),
    [bus, sensor.id],
  );

  return { ...state, points: state.data.x.length, retry: () => setAttempt((n) => n + 1) };
}
