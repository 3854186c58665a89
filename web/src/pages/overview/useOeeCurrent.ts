// The current shift's OEE and state of every machine (GET /api/v1/oee/current): loaded with the overview,
// refreshed every 60 s. Failures are quiet (the tiles simply show no OEE): OEE is an extra, not the overview.
import { useEffect, useState } from "react";
import { fetchCurrent, type CurrentMachine } from "../oee/api";

const REFRESH_EVERY_MS = 60_000;

export interface OeeCurrent {
  byMachine: Map<string, CurrentMachine>;
  /** false until the first answer (or failure) */
  loaded: boolean;
  failed: boolean;
}

export function useOeeCurrent(): OeeCurrent {
  const [state, setState] = useState<OeeCurrent>({ byMachine: new Map(), loaded: false, failed: false });
  useEffect(() => {
    let alive = true;
    const load = () =>
      fetchCurrent()
        .then((out) => alive && setState({ byMachine: new Map(out.machines.map((m) => [m.machine_id, m])), loaded: true, failed: false }))
        .catch(() => alive && setState((s) => ({ ...s, loaded: true, failed: true })));
    void load();
    const timer = setInterval(() => void load(), REFRESH_EVERY_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, []);
  return state;
}
