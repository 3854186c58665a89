// Production schedules ("/schedules"): the list (newest first), solving a new one from the planning data,
// and one schedule's Gantt, late-order explanations, publish and reschedule. Everyone with planning:read
// can look; solving, publishing and rescheduling need schedule:write (admin, production). URL: ?id=<schedule>.
import { useEffect } from "react";
import { useSearchParams } from "react-router-dom";
import { getSession } from "../api/client";
import { useAuth } from "../auth";
import { useTenant } from "../lib/tenant";
import { formatDateTime, validTimeZone } from "../lib/time";
import { formatDuration } from "../lib/zoned";
import { Empty, LoadError, Loading } from "./maintenance/States";
import { useResource } from "./maintenance/useResource";
import { canWriteSchedules, listSchedules, orderNames, type Schedule } from "./schedules/api";
import { ScheduleDetail } from "./schedules/ScheduleDetail";
import { SolveForm } from "./schedules/SolveForm";
import "../styles-pages.css";
import "./maintenance/maintenance.css";
import "./shared/forms.css";
import "./planning/planning.css";
import "./schedules/schedules.css";

const NO_NAMES = new Map<string, string>();

export function Schedules() {
  const { session } = useAuth();
  const role = (session ?? getSession())?.user.role;
  const canWrite = canWriteSchedules(role);
  const tenant = useTenant();
  const tz = validTimeZone(tenant?.timezone);
  const [params, setParams] = useSearchParams();
  const list = useResource(listSchedules);
  const names = useResource(() => orderNames().catch(() => NO_NAMES));
  const selectedId = params.get("id");
  const selected = list.data?.find((s) => s.id === selectedId) ?? (selectedId ? null : (list.data?.[0] ?? null));

  useEffect(() => {
    document.title = "Schedules · MIP";
  }, []);

  function show(s: Schedule) {
    list.set((cur) => (cur.some((x) => x.id === s.id) ? cur.map((x) => (x.id === s.id ? s : x)) : [s, ...cur]));
    // publishing supersedes the previously published schedule
    if (s.state === "published") list.set((cur) => cur.map((x) => (x.id !== s.id && x.state === "published" ? { ...x, state: "superseded" } : x)));
    setParams({ id: s.id }, { replace: true });
    if (!names.loading) names.reload();
  }

  return (
    <section className="pg-page sch-page" aria-labelledby="sch-title">
      <header className="page-head">
        <h1 id="sch-title">Schedules</h1>
      </header>
      <p className="muted small">
        Finite-capacity schedules of the open work orders on the machines (CP-SAT, compared with a greedy dispatching baseline). Times in plant
        time ({tz}).
        {!canWrite && " Solving, publishing and rescheduling need an administrator or production role."}
      </p>
      <div className="sch-top">
        <section className="panel" aria-labelledby="sch-list-title">
          <h2 id="sch-list-title">All schedules</h2>
          {list.error ? (
            <LoadError what="schedules" error={list.error} onRetry={list.reload} />
          ) : !list.data ? (
            <Loading what="schedules" />
          ) : list.data.length === 0 ? (
            <Empty title="No schedules yet">
              <p>{canWrite ? "Solve one from the planning data." : "Nobody has solved a schedule yet."}</p>
            </Empty>
          ) : (
            <div className="table-wrap sch-list" tabIndex={0} role="region" aria-label="Schedules">
              <table className="table card-table" aria-label="Schedules">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">State</th>
                    <th scope="col">Makespan</th>
                    <th scope="col">Late</th>
                    <th scope="col">vs greedy</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.map((s) => (
                    <tr key={s.id} className={s.id === selected?.id ? "mnt-row is-selected" : undefined} data-testid="schedule-row">
                      <th scope="row">
                        <button type="button" className="linklike" aria-current={s.id === selected?.id ? "true" : undefined} onClick={() => setParams({ id: s.id }, { replace: true })}>
                          {s.name}
                        </button>
                      </th>
                      <td data-label="State">
                        <span className={`badge sch-state sch-state-${s.state}`}>{s.state}</span>
                      </td>
                      <td data-label="Makespan">{formatDuration(s.makespan * 60)}</td>
                      <td data-label="Late">{s.late_orders}</td>
                      <td data-label="vs greedy">{s.improvement.weighted_tardiness_pct !== null ? `${s.improvement.weighted_tardiness_pct.toFixed(1)} % tardiness` : s.improvement.makespan_pct !== null ? `${s.improvement.makespan_pct.toFixed(1)} % makespan` : "—"}</td>
                      <td data-label="Created">{formatDateTime(s.created_at, tz).slice(0, 16)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        {canWrite && (
          <section className="panel">
            <SolveForm onSolved={show} />
          </section>
        )}
      </div>
      {selectedId && list.data && !selected && <p role="alert">Schedule {selectedId} was not found.</p>}
      {selected && <ScheduleDetail key={selected.id} schedule={selected} canWrite={canWrite} names={names.data ?? NO_NAMES} tz={tz} onChanged={show} />}
    </section>
  );
}
