// Alarms inbox ("/alarms"): filterable, paged, live-updating list with acknowledge/resolve/assign and comments.
import { Fragment, useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { getSession, type Schemas } from "../api/client";
import { useAuth } from "../auth";
import { AlarmDetails } from "./alarms/AlarmDetails";
import { AlarmFilters } from "./alarms/AlarmFilters";
import { AlarmRow, type RowContext } from "./alarms/AlarmRow";
import { canAct, listUsers } from "./alarms/api";
import { filtersToParams, isDefault, parseFilters, type Filters } from "./alarms/filters";
import { useAlarmList } from "./alarms/useAlarmList";
import { machineLabel, useMachineDirectory } from "./shared/machines";
import "../styles.css";
import "./alarms/alarms.css";

const COLUMNS = ["Severity", "Safety", "Message", "Machine", "Count", "First seen", "Last seen", "Status", "Assignee", "Actions"];
const OPTIONAL = new Set(["Count", "First seen"]);

function useUsers(isAdmin: boolean): Schemas["UserOut"][] | null {
  const [users, setUsers] = useState<Schemas["UserOut"][] | null>(null);
  useEffect(() => {
    if (!isAdmin) return;
    let alive = true;
    listUsers()
      .then((u) => alive && setUsers(u))
      .catch(() => {});
    return () => {
      alive = false;
    };
  }, [isAdmin]);
  return users;
}

export function Alarms() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseFilters(params), [params]);
  const list = useAlarmList(filters);
  const dir = useMachineDirectory();
  const { session } = useAuth();
  const me = (session ?? getSession())?.user;
  const users = useUsers(me?.role === "admin");
  const [expanded, setExpanded] = useState<string | null>(null);

  useEffect(() => {
    document.title = "Alarms · MIP";
  }, []);

  const ctx: RowContext = useMemo(() => {
    const names = new Map((users ?? []).map((u) => [u.id, u.full_name || u.email]));
    return {
      myId: me?.id,
      mayAct: canAct(me?.role),
      machineName: (id) => machineLabel(dir, id),
      tzFor: (id) => dir.tzFor(id),
      userName: (id) => (id === null ? "system" : id === me?.id ? "you" : (names.get(id) ?? `user ${id.slice(0, 8)}`)),
    };
  }, [users, me, dir]);

  const zones = useMemo(
    () => [...new Set(list.items.length ? list.items.map((a) => dir.tzFor(a.machine_id)) : [dir.tenantTz])],
    [list.items, dir],
  );
  const setFilters = (f: Filters) => setParams(filtersToParams(f), { replace: true });

  return (
    <section className="page" aria-labelledby="alarms-title">
      <div className="page-head">
        <h1 id="alarms-title">Alarms</h1>
        <p className="muted small">
          Newest first. Times in plant time: {zones.length === 1 ? zones[0] : "each machine's site time zone"}.
        </p>
      </div>
      <AlarmFilters value={filters} machines={[...dir.machines.values()]} onChange={setFilters} />
      {list.error && (
        <div className="panel error-state" role="alert">
          <p>Could not load alarms: {list.error}</p>
          <button type="button" className="btn btn-primary" onClick={list.reload}>
            Retry
          </button>
        </div>
      )}
      {!list.error && !list.loading && list.items.length === 0 && (
        <div className="panel empty-state" role="status">
          <h2>{isDefault(filters) ? "No active alarms" : "No alarms match these filters"}</h2>
          <p className="muted">New alarms appear here automatically.</p>
        </div>
      )}
      {list.items.length > 0 && (
        <div className="table-wrap">
          <table className="table alarms-table" aria-busy={list.loading}>
            <caption className="sr-only">Alarms, newest first</caption>
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c} scope="col" className={OPTIONAL.has(c) ? "col-opt" : undefined}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {list.items.map((a) => (
                <Fragment key={a.id}>
                  <AlarmRow
                    alert={a}
                    ctx={ctx}
                    expanded={expanded === a.id}
                    onToggle={() => setExpanded((cur) => (cur === a.id ? null : a.id))}
                    onChanged={list.upsert}
                  />
                  {expanded === a.id && (
                    <tr className="details-row">
                      <td colSpan={COLUMNS.length}>
                        <AlarmDetails alert={a} ctx={ctx} users={users} onChanged={list.upsert} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="list-foot">
        {list.loading && (
          <p className="loading" role="status">
            Loading alarms…
          </p>
        )}
        {!list.loading && list.hasMore && list.items.length > 0 && (
          <button type="button" className="btn" onClick={list.loadMore}>
            Load more
          </button>
        )}
      </div>
    </section>
  );
}
