// One schedule: its numbers against the greedy baseline, publish, the Gantt, the late-order explanations and
// rescheduling after a disruption.
import { useState } from "react";
import { formatDateTime } from "../../lib/time";
import { formatDuration } from "../../lib/zoned";
import { ApiProblem } from "../shared/ApiProblem";
import { LoadError, Loading } from "../maintenance/States";
import { useResource } from "../maintenance/useResource";
import { getGantt, listLate, publish, type Schedule } from "./api";
import { Gantt } from "./Gantt";
import { LatePanel } from "./LatePanel";
import { RescheduleForm } from "./RescheduleForm";

interface Props {
  schedule: Schedule;
  canWrite: boolean;
  names: ReadonlyMap<string, string>;
  tz: string;
  onChanged(s: Schedule): void;
}

const mins = (m: number) => formatDuration(m * 60);

function pct(v: number | null): string {
  if (v === null) return "";
  if (v === 0) return " (same)";
  return v > 0 ? ` (${v.toFixed(1)} % better)` : ` (${(-v).toFixed(1)} % worse)`;
}

export function ScheduleDetail({ schedule: s, canWrite, names, tz, onChanged }: Props) {
  const gantt = useResource(() => getGantt(s.id), s.id);
  const late = useResource(() => listLate(s.id), s.id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const origin = s.horizon_start ? Date.parse(s.horizon_start) : null;
  const when = (t: number) => (origin !== null ? formatDateTime(new Date(origin + t * 60_000), tz).slice(0, 16) : `+${mins(t)}`);
  const machineNames = new Map((gantt.data?.rows ?? []).map((r) => [r.machine, r.name]));

  async function onPublish() {
    setBusy(true);
    setError(null);
    try {
      onChanged(await publish(s.id));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="sch-detail">
      <section className="panel" aria-labelledby="sch-detail-title">
        <div className="pg-card-head">
          <h2 id="sch-detail-title">
            {s.name} <span className={`badge sch-state sch-state-${s.state}`}>{s.state}</span>
          </h2>
          {canWrite && s.state === "draft" && (
            <button type="button" className="btn btn-primary" onClick={() => void onPublish()} disabled={busy}>
              {busy ? "Publishing…" : "Publish"}
            </button>
          )}
        </div>
        <ApiProblem error={error} action="Could not publish" />
        <dl className="pl-facts" data-testid="schedule-facts">
          <div>
            <dt>Makespan</dt>
            <dd>{mins(s.makespan)}</dd>
          </div>
          <div>
            <dt>Late orders</dt>
            <dd className={s.late_orders ? "sch-bad" : undefined}>{s.late_orders}</dd>
          </div>
          <div>
            <dt>Weighted tardiness</dt>
            <dd>{s.weighted_tardiness} min</dd>
          </div>
          <div>
            <dt>Solver</dt>
            <dd className="sch-small-dd">
              {s.solver_status.toLowerCase()} · {s.source} · {s.seconds.toFixed(1)} s
            </dd>
          </div>
        </dl>
        <p className="small" data-testid="improvement">
          Against the greedy baseline (dispatching by due date): makespan {mins(s.greedy_makespan)} → {mins(s.makespan)}
          {pct(s.improvement.makespan_pct)}; weighted tardiness {s.greedy_weighted_tardiness} → {s.weighted_tardiness} min
          {pct(s.improvement.weighted_tardiness_pct)}.
        </p>
        <p className="muted small">
          Objective {s.objective.replace(/_/g, " ")}; created {formatDateTime(s.created_at, tz)}
          {s.horizon_start ? `; time zero ${formatDateTime(s.horizon_start, tz)}` : ""}
          {s.published_at ? `; published ${formatDateTime(s.published_at, tz)}` : ""}
          {s.parent_id ? "; a reschedule of an earlier schedule" : ""}.
        </p>
      </section>

      <section className="panel" aria-labelledby="sch-gantt-title">
        <h2 id="sch-gantt-title">Gantt</h2>
        {gantt.error ? (
          <LoadError what="the Gantt" error={gantt.error} onRetry={gantt.reload} />
        ) : !gantt.data ? (
          <Loading what="the Gantt" />
        ) : gantt.data.rows.length === 0 ? (
          <p className="pg-empty">This schedule has no machines.</p>
        ) : (
          <Gantt gantt={gantt.data} names={names} tz={tz} />
        )}
      </section>

      <section className="panel" aria-labelledby="sch-late-title">
        <h2 id="sch-late-title">Late orders and why</h2>
        {late.error ? (
          <LoadError what="late orders" error={late.error} onRetry={late.reload} />
        ) : !late.data ? (
          <Loading what="late orders" />
        ) : (
          <LatePanel items={late.data} orderName={(id) => names.get(id) ?? id} machineName={(id) => machineNames.get(id) ?? id} when={when} />
        )}
      </section>

      {canWrite && gantt.data && gantt.data.rows.length > 0 && (
        <section className="panel">
          <RescheduleForm schedule={s} gantt={gantt.data} tz={tz} onDone={onChanged} />
        </section>
      )}
    </div>
  );
}
