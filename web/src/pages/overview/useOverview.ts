// Loads the plant overview once, then keeps it current: live readings patch sensor values in place;
// alert events (debounced) and reconnects trigger a refetch of the whole overview (one request).
import { useCallback, useEffect, useRef, useState } from "react";
import { live, type LiveEvent } from "../../live";
import { errorMessage } from "../shared/errors";
import { fetchOverview, type PlantOverview } from "./api";
import { applyReadings, mergeFresh, sensorIndex } from "./model";

const REFETCH_DEBOUNCE_MS = 1000;
const REFRESH_EVERY_MS = 60_000;

export interface OverviewState {
  data: PlantOverview | null;
  error: string | null;
  loading: boolean;
  /** server clock minus browser clock, ms: "x s ago" and staleness use the server's notion of now */
  skewMs: number;
  reload(): void;
}

export function useOverview(): OverviewState {
  const [data, setData] = useState<PlantOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [skewMs, setSkew] = useState(0);
  const index = useRef<Map<string, number>>(new Map());
  const alive = useRef(true);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const o = await fetchOverview();
      if (!alive.current) return;
      const skew = Date.parse(o.generated_at) - Date.now();
      setSkew(Number.isFinite(skew) && Math.abs(skew) > 2000 ? skew : 0);
      setData((prev) => {
        const machines = prev ? mergeFresh(prev.machines, o.machines) : o.machines;
        index.current = sensorIndex(machines);
        return { ...o, machines };
      });
      setError(null);
    } catch (e) {
      if (alive.current) setError(errorMessage(e));
    } finally {
      if (alive.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    alive.current = true;
    void load();
    let debounce: ReturnType<typeof setTimeout> | null = null;
    const later = () => {
      if (debounce) clearTimeout(debounce);
      debounce = setTimeout(() => void load(), REFETCH_DEBOUNCE_MS);
    };
    const offEvents = live.subscribe((e: LiveEvent) => {
      if (e.type === "readings") {
        setData((d) => {
          if (!d) return d;
          const machines = applyReadings(d.machines, index.current, e.points);
          return machines === d.machines ? d : { ...d, machines };
        });
      } else if (e.type.startsWith("alert.")) {
        later();
      }
    });
    let wasOpen = live.status === "open";
    const offStatus = live.onStatus((s) => {
      if (s === "open" && !wasOpen) later();
      wasOpen = s === "open";
    });
    const periodic = setInterval(() => void load(), REFRESH_EVERY_MS);
    return () => {
      alive.current = false;
      offEvents();
      offStatus();
      clearInterval(periodic);
      if (debounce) clearTimeout(debounce);
    };
  }, [load]);

  return { data, error, loading, skewMs, reload: () => void load() };
}
