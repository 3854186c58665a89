// The OEE page's data for one target and span: the figures first (their from/to resolve production days),
// then, over the part of that window that has happened, the Pareto and (machines) the state timeline and
// the downtime list. `reload` refetches after operator input.
import { useCallback, useEffect, useRef, useState } from "react";
import {
  lineOee,
  machineDowntime,
  machineOee,
  machineStates,
  pareto,
  type Interval,
  type LineOee,
  type MachineOee,
  type Pareto,
  type Span,
  type Timeline,
} from "./api";
import { pastPart } from "./format";
import type { Target } from "./TargetPicker";

export interface Part<T> {
  data: T | null;
  error: unknown;
}

export interface OeeData {
  oee: Part<MachineOee | LineOee>;
  timeline: Part<Timeline>;
  downtime: Part<Interval[]>;
  pareto: Part<Pareto>;
  loading: boolean;
  /** The window the timeline, downtime and Pareto cover (null: nothing has happened yet). */
  window: { from: string; to: string } | null;
  reload(): void;
}

const none = { data: null, error: null };

function settle<T>(p: Promise<T>): Promise<Part<T>> {
  return p.then(
    (data) => ({ data, error: null }),
    (error: unknown) => ({ data: null, error }),
  );
}

export function useOeeData(target: Target | null, span: Span | null): OeeData {
  const [state, setState] = useState<Omit<OeeData, "reload">>({ oee: none, timeline: none, downtime: none, pareto: none, loading: false, window: null });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify([target, span]);
  const shown = useRef("");

  useEffect(() => {
    if (!target || !span) return;
    let alive = true;
    // a reload keeps the figures on screen; another target or range starts empty
    const same = shown.current === key;
    shown.current = key;
    setState((s) => (same ? { ...s, loading: true } : { oee: none, timeline: none, downtime: none, pareto: none, loading: true, window: null }));
    void (async () => {
      const oee = await settle<MachineOee | LineOee>(target.kind === "machine" ? machineOee(target.id, span) : lineOee(target.id, span));
      if (!alive) return;
      const win = oee.data ? pastPart(oee.data.from, oee.data.to) : null;
      if (!oee.data || !win) {
        setState({ oee, timeline: none, downtime: none, pareto: none, loading: false, window: win });
        return;
      }
      const isMachine = target.kind === "machine";
      const [timeline, downtime, par] = await Promise.all([
        isMachine ? settle(machineStates(target.id, win.from, win.to)) : Promise.resolve(none),
        isMachine ? settle(machineDowntime(target.id, win.from, win.to)) : Promise.resolve(none),
        settle(pareto(isMachine ? { machine_id: target.id } : { line_id: target.id }, win.from, win.to)),
      ]);
      if (alive) setState({ oee, timeline, downtime, pareto: par, loading: false, window: win });
    })();
    return () => {
      alive = false;
    };
  }, [key, tick]); // `key` stands for target and span

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
