// Shifts per site: list, create, change and delete. A site without shifts counts as one 24 h shift.
import { useEffect, useState } from "react";
import { daysSummary, hhmm } from "../../../lib/zoned";
import { ApiProblem } from "../../shared/ApiProblem";
import { ConfirmButton } from "../../shared/ConfirmButton";
import { deleteShift, listShifts, type Asset, type Shift } from "../api";
import { ShiftForm } from "./ShiftForm";

export function ShiftsSection({ sites, onNotice }: { sites: Asset[]; onNotice(m: string): void }) {
  const [siteId, setSiteId] = useState("");
  const [shifts, setShifts] = useState<Shift[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Shift | "new" | null>(null);
  const site = siteId || sites[0]?.id || "";

  useEffect(() => {
    if (!site) return;
    let alive = true;
    setShifts(null);
    setError(null);
    listShifts(site)
      .then((s) => alive && setShifts(s))
      .catch((e) => alive && setError(e));
    return () => {
      alive = false;
    };
  }, [site]);

  async function remove(s: Shift) {
    setError(null);
    try {
      await deleteShift(s.id);
      setShifts((cur) => (cur ?? []).filter((x) => x.id !== s.id));
      onNotice(`Shift “${s.name}” deleted.`);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="panel pg-card" aria-labelledby="shifts-title">
      <div className="pg-card-head">
        <h2 id="shifts-title">Shifts</h2>
        <button type="button" className="btn btn-primary" onClick={() => setEditing("new")} disabled={!site || editing !== null}>
          New shift
        </button>
      </div>
      <div className="field oee-site-field">
        <label htmlFor="shifts-site">Site</label>
        <select id="shifts-site" value={site} onChange={(e) => setSiteId(e.target.value)}>
          {sites.length === 0 && <option value="">No sites</option>}
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
              {s.timezone ? ` (${s.timezone})` : ""}
            </option>
          ))}
        </select>
      </div>
      {editing !== null && site && (
        <ShiftForm
          key={editing === "new" ? "new" : editing.id}
          siteId={site}
          shift={editing === "new" ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={(s) => {
            setShifts((cur) => [...(cur ?? []).filter((x) => x.id !== s.id), s].sort((a, b) => a.start_time.localeCompare(b.start_time)));
            onNotice(editing === "new" ? `Shift “${s.name}” created.` : `Shift “${s.name}” saved.`);
            setEditing(null);
          }}
        />
      )}
      <ApiProblem error={error} action="Shifts" />
      {shifts?.length === 0 && <p className="muted">No shifts: the whole day counts as one 24 h shift.</p>}
      {!!shifts?.length && (
        <div className="table-wrap">
          <table className="table" data-testid="shifts-table">
            <caption className="sr-only">Shifts of the site (local time)</caption>
            <thead>
              <tr>
                {["Shift", "Time", "Days", "Actions"].map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shifts.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.name}</th>
                  <td className="nowrap">
                    {hhmm(s.start_time)}–{hhmm(s.end_time)}
                  </td>
                  <td>{daysSummary(s.days)}</td>
                  <td data-label="Actions">
                    <div className="pg-actions">
                      <button type="button" className="btn btn-small" onClick={() => setEditing(s)} aria-label={`Edit shift ${s.name}`}>
                        Edit
                      </button>
                      <ConfirmButton label="Delete" subject={`shift ${s.name}`} onConfirm={() => remove(s)} />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
