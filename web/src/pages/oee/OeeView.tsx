// The OEE figures of one line or machine over a range: summary, state timeline, operator input, downtime,
// the downtime Pareto and the per shift / per day tables. Target and range live in the URL.
import { useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { formatDateTime } from "../../lib/time";
import { ApiProblem } from "../shared/ApiProblem";
import { Breakdown } from "./Breakdown";
import { CountForm } from "./CountForm";
import { DowntimeList } from "./DowntimeList";
import { spanOf, type RangeChoice, type RangeKind } from "./format";
import { Pareto } from "./Pareto";
import { StateForm } from "./StateForm";
import { StateTimeline } from "./StateTimeline";
import { Summary } from "./Summary";
import { TargetPicker, type Target } from "./TargetPicker";
import type { OeeBasics } from "./useOeeBasics";
import { useOeeData } from "./useOeeData";

const KINDS: RangeKind[] = ["today", "yesterday", "7d", "custom"];

export function OeeView({ basics, tenantTz, canWrite }: { basics: OeeBasics; tenantTz: string; canWrite: boolean }) {
  const [params, setParams] = useSearchParams();
  const [notice, setNotice] = useState<string | null>(null);

  const target: Target | null = useMemo(() => {
    const line = params.get("line");
    const machine = params.get("machine");
    if (line) return { kind: "line", id: line };
    if (machine) return { kind: "machine", id: machine };
    const first = basics.lines[0] ?? basics.machines[0];
    return first ? { kind: first.kind === "line" ? "line" : "machine", id: first.id } : null;
  }, [params, basics.lines, basics.machines]);
  const rangeKind = params.get("range") as RangeKind | null;
  const range: RangeChoice = {
    kind: rangeKind && KINDS.includes(rangeKind) ? rangeKind : "today",
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
  };
  const asset = target ? [...basics.lines, ...basics.machines].find((a) => a.id === target.id) : undefined;
  const guessTz = basics.tzOf(asset, tenantTz);

  // The span is computed when the choice changes (or after operator input), not on every render: "last 7
  // days" ends at the time it was chosen.
  const [refreshed, setRefreshed] = useState(0);
  const rangeKey = JSON.stringify([range.kind, range.from, range.to, guessTz, refreshed]);
  const { span, rangeError } = useMemo(() => {
    try {
      return { span: spanOf(range, guessTz), rangeError: null };
    } catch (e) {
      return { span: null, rangeError: range.from || range.to ? (e as Error).message : null };
    }
  }, [rangeKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const data = useOeeData(basics.loaded ? target : null, span);
  const oee = data.oee.data;
  const tz = oee?.timezone ?? guessTz;

  function update(next: Record<string, string | null>) {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace: true });
    setNotice(null);
  }
  const changed = (message: string) => {
    setNotice(message);
    setRefreshed((n) => n + 1);
    data.reload();
  };

  return (
    <div className="oee-view" aria-busy={data.loading}>
      <TargetPicker
        lines={basics.lines}
        machines={basics.machines}
        target={target}
        onTarget={(t) => update({ line: t.kind === "line" ? t.id : null, machine: t.kind === "machine" ? t.id : null })}
        range={range}
        onRange={(r) => update({ range: r.kind, from: r.kind === "custom" ? r.from : null, to: r.kind === "custom" ? r.to : null })}
        tz={tz}
        rangeError={rangeError}
      />
      {!target && basics.loaded && <p className="panel empty-state">No lines or machines yet: add them on the Assets page.</p>}
      {notice && (
        <p className="pg-ok" role="status">
          {notice}
        </p>
      )}
      {data.loading && !oee && (
        <p className="muted" role="status">
          Loading OEE…
        </p>
      )}
      <ApiProblem error={data.oee.error} action="Could not load the OEE" testId="oee-error" />
      {oee && (
        <>
          <p className="muted small">
            {formatDateTime(oee.from, tz).slice(0, 16)} – {formatDateTime(oee.to, tz).slice(0, 16)} (plant time, {tz})
          </p>
          <Summary data={oee} />
          {target?.kind === "machine" && (
            <>
              <ApiProblem error={data.timeline.error} action="Could not load the state timeline" />
              {data.timeline.data && <StateTimeline timeline={data.timeline.data} tz={tz} />}
              {canWrite && (
                <section className="panel oee-operator" aria-labelledby="oee-operator-title">
                  <h2 id="oee-operator-title">Operator input</h2>
                  <div className="oee-operator-forms">
                    <StateForm machineId={target.id} machineName={oee.name} reasons={basics.reasons} tz={tz} onDone={changed} />
                    <CountForm machineId={target.id} machineName={oee.name} tz={tz} onDone={changed} />
                  </div>
                </section>
              )}
              <ApiProblem error={data.downtime.error} action="Could not load the downtime" />
              {data.downtime.data && (
                <DowntimeList machineId={target.id} items={data.downtime.data} reasons={basics.reasons} tz={tz} canWrite={canWrite} onChanged={changed} />
              )}
            </>
          )}
          <ApiProblem error={data.pareto.error} action="Could not load the downtime Pareto" />
          {data.pareto.data && <Pareto data={data.pareto.data} />}
          <Breakdown data={oee} tz={tz} />
        </>
      )}
    </div>
  );
}
