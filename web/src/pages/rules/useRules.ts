// The rules page's data: the rules, the machines (for the scope pickers and names) and the names of
// sensors that rules are scoped to.
import { useCallback, useEffect, useMemo, useState } from "react";
import { errorMessage } from "../shared/errors";
import { getSensor, listMachines, listRules, type Machine, type Rule } from "./api";
import type { Names } from "./summary";

export interface RulesData {
  rules: Rule[] | null; // null until loaded
  error: string | null;
  machines: Machine[];
  names: Names;
  reload(): void;
  upsert(r: Rule): void;
  remove(id: string): void;
}

const byName = (a: Rule, b: Rule) => a.name.localeCompare(b.name, undefined, { numeric: true }) || a.id.localeCompare(b.id);

export function useRules(): RulesData {
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [machines, setMachines] = useState<Machine[]>([]);
  const [sensorPaths, setSensorPaths] = useState<Map<string, string>>(new Map());

  const reload = useCallback(() => {
    setError(null);
    listRules()
      .then((r) => setRules([...r].sort(byName)))
      .catch((e) => setError(errorMessage(e)));
  }, []);

  useEffect(() => {
    reload();
    listMachines()
      .then(setMachines)
      .catch(() => setMachines([]));
  }, [reload]);

  // Sensor-scoped rules name their sensor by path: fetch the ones not known yet (once each).
  const wanted = useMemo(
    () => [...new Set((rules ?? []).map((r) => r.scope.sensor_id).filter((id): id is string => !!id && !sensorPaths.has(id)))],
    [rules, sensorPaths],
  );
  useEffect(() => {
    if (wanted.length === 0) return;
    let alive = true;
    void Promise.all(wanted.map((id) => getSensor(id).then((s) => [id, s.path] as const, () => [id, `${id.slice(0, 8)}`] as const))).then(
      (pairs) => alive && setSensorPaths((cur) => new Map([...cur, ...pairs])),
    );
    return () => {
      alive = false;
    };
  }, [wanted]);

  const names = useMemo<Names>(() => {
    const m = new Map(machines.map((x) => [x.id, x.name]));
    return {
      machine: (id) => m.get(id) ?? `machine ${id.slice(0, 8)}`,
      sensor: (id) => sensorPaths.get(id) ?? id.slice(0, 8),
    };
  }, [machines, sensorPaths]);

  const upsert = useCallback((r: Rule) => setRules((cur) => [...(cur ?? []).filter((x) => x.id !== r.id), r].sort(byName)), []);
  const remove = useCallback((id: string) => setRules((cur) => (cur ?? []).filter((x) => x.id !== id)), []);

  return { rules, error, machines, names, reload, upsert, remove };
}
