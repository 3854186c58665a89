// Fleet health: the latest score of every machine, worst first; a machine's panel with its history; and
// "Score now" (maintenance writers) to run the scorer instead of waiting for the periodic run.
import { useMemo, useState } from "react";
import { formatDateTime } from "../../lib/time";
import { ApiProblem } from "../shared/ApiProblem";
import { listHealth, scoreNow } from "./api";
import { capOf, formatHorizon, formatProbability, formatRul, modelName, worstFirst } from "./format";
import { HealthBar } from "./HealthBits";
import { MachinePanel } from "./MachinePanel";
import { Empty, LoadError, Loading, Notice } from "./States";
import type { Basics } from "./useMaintenanceBasics";
import { useResource } from "./useResource";

interface Props {
  basics: Basics;
  canWrite: boolean;
  selected: string | null;
  onSelect(machineId: string | null): void;
  onShowModels(): void;
}

function scoreSummary(r: { models: number; scored: number; skipped: number; recommendations: number; work_orders: number }): string {
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  return (
    `Scored ${plural(r.scored, "machine")} with ${plural(r.models, "active model")}` +
    (r.skipped ? ` (${r.skipped} skipped: not enough data)` : "") +
    `; ${plural(r.recommendations, "new recommendation")}, ${plural(r.work_orders, "new work order")}.`
  );
}

export function HealthTab({ basics, canWrite, selected, onSelect, onShowModels }: Props) {
  const health = useResource(listHealth);
  const [busy, setBusy] = useState(false);
  const [scoreError, setScoreError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [panelKey, setPanelKey] = useState(0);
  const rows = useMemo(() => (health.data ? [...health.data].sort(worstFirst) : null), [health.data]);
  const hasActiveModel = basics.models?.some((m) => m.status === "active") ?? true;
  const zones = new Set((rows ?? []).map((h) => basics.tzFor(h.machine_id)));
  const tzNote = zones.size > 1 ? "each machine's plant time zone" : `plant time (${[...zones][0] ?? basics.tenantTz})`;

  async function score() {
    setBusy(true);
    setScoreError(null);
    setNotice(null);
    try {
      const report = await scoreNow();
      setNotice(scoreSummary(report));
      health.reload();
      setPanelKey((k) => k + 1);
    } catch (e) {
      setScoreError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mnt-tab-body">
      <div className="pg-toolbar">
        <h2>Fleet health</h2>
        {canWrite && (
          <button type="button" className="btn btn-primary" onClick={score} disabled={busy}>
            {busy ? "Scoring…" : "Score now"}
          </button>
        )}
      </div>
      <p className="muted small">
        Health index 0 (end of life) to 100 (as new), remaining useful life (RUL) and the probability of a failure within the policy's
        horizon, from each machine's latest score. Worst first.
      </p>
      {notice && <Notice>{notice}</Notice>}
      <ApiProblem error={scoreError} action="Could not score" />
      {selected && (
        <MachinePanel key={selected} machineId={selected} refresh={panelKey} basics={basics} onClose={() => onSelect(null)} />
      )}
      {health.error && <LoadError what="health scores" error={health.error} onRetry={health.reload} />}
      {rows === null && !health.error && <Loading what="health scores" />}
      {rows?.length === 0 &&
        (hasActiveModel ? (
          <Empty title="No machine has been scored yet">
            <p className="muted">
              Machines are scored every few minutes by the active models.{canWrite ? " Use Score now to score them right away." : ""}
            </p>
          </Empty>
        ) : (
          <Empty title="No health scores yet">
            <p className="muted">No model is active yet: train one on the Models tab and promote it, then machines get scored.</p>
            <button type="button" className="btn" onClick={onShowModels}>
              Go to Models
            </button>
          </Empty>
        ))}
      {!!rows?.length && (
        <>
          <div className="table-wrap">
            <table className="table mnt-table mnt-health-table">
              <caption className="sr-only">Machine health, worst first</caption>
              <thead>
                <tr>
                  <th scope="col">Machine</th>
                  <th scope="col">Health</th>
                  <th scope="col">Remaining life</th>
                  <th scope="col">Failure probability</th>
                  <th scope="col">Model</th>
                  <th scope="col">Scored at</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((h) => (
                  <tr key={h.machine_id} className={`mnt-row${selected === h.machine_id ? " is-selected" : ""}`} data-testid="health-row">
                    <th scope="row">
                      <button
                        type="button"
                        className="mnt-link"
                        aria-expanded={selected === h.machine_id}
                        aria-controls="mnt-machine-panel"
                        onClick={() => onSelect(selected === h.machine_id ? null : h.machine_id)}
                      >
                        {basics.machineName(h.machine_id)}
                      </button>
                    </th>
                    <td data-label="Health">
                      <HealthBar index={h.health_index} />
                    </td>
                    <td data-label="Remaining life" className="num">
                      {formatRul(h.rul_hours, capOf(h.details))}
                    </td>
                    <td data-label="Failure probability" className="num">
                      {formatProbability(h.failure_probability)} <span className="muted small">within {formatHorizon(h.horizon_hours)}</span>
                    </td>
                    <td data-label="Model">{modelName(basics.models, h.model_id)}</td>
                    <td data-label="Scored at" className="nowrap">
                      {formatDateTime(h.scored_at, basics.tzFor(h.machine_id))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small">Times in {tzNote}. Select a machine for its history.</p>
        </>
      )}
    </div>
  );
}
