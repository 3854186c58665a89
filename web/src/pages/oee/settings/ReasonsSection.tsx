// Downtime reason codes: list, create, rename / recategorise, delete (the API refuses codes in use).
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiProblem } from "../../shared/ApiProblem";
import { ConfirmButton } from "../../shared/ConfirmButton";
import { createReason, deleteReason, updateReason, type Reason } from "../api";

const CODE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
type Category = Reason["category"];

function ReasonForm({ reason, onSaved, onCancel }: { reason: Reason | null; onSaved(r: Reason): void; onCancel(): void }) {
  const [code, setCode] = useState(reason?.code ?? "");
  const [name, setName] = useState(reason?.name ?? "");
  const [category, setCategory] = useState<Category>(reason?.category ?? "unplanned");
  const [description, setDescription] = useState(reason?.description ?? "");
  const [invalid, setInvalid] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!reason && !CODE_RE.test(code.trim())) return setInvalid("The code is letters, digits, _ . - (e.g. tool_change), up to 64 characters.");
    if (!name.trim()) return setInvalid("Give the reason a name.");
    setInvalid(null);
    setBusy(true);
    try {
      const body = { name: name.trim(), category, description: description.trim() };
      onSaved(reason ? await updateReason(reason.id, body) : await createReason({ code: code.trim(), ...body }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="oee-settings-form" aria-label={reason ? `Edit reason ${reason.code}` : "New reason code"} onSubmit={(e) => void submit(e)} noValidate>
      <div className="oee-form-grid">
        <div className="field">
          <label htmlFor="reason-code">Code</label>
          <input id="reason-code" ref={reason ? undefined : first} value={code} readOnly={!!reason} onChange={(e) => setCode(e.target.value)} className="pg-mono" />
        </div>
        <div className="field">
          <label htmlFor="reason-name">Name</label>
          <input id="reason-name" ref={reason ? first : undefined} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="reason-category">Category</label>
          <select id="reason-category" value={category} onChange={(e) => setCategory(e.target.value as Category)}>
            <option value="unplanned">Unplanned (a loss)</option>
            <option value="planned">Planned</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="reason-description">Description</label>
          <input id="reason-description" value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} />
        </div>
      </div>
      {invalid && (
        <p className="form-error" role="alert">
          {invalid}
        </p>
      )}
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {reason ? "Save reason" : "Create reason"}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ApiProblem error={error} action="Could not save the reason code" />
    </form>
  );
}

export function ReasonsSection({ reasons, onChange, onNotice }: { reasons: Reason[]; onChange(r: Reason[]): void; onNotice(m: string): void }) {
  const [editing, setEditing] = useState<Reason | "new" | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function remove(r: Reason) {
    setError(null);
    try {
      await deleteReason(r.id);
      onChange(reasons.filter((x) => x.id !== r.id));
      onNotice(`Reason “${r.name}” deleted.`);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="panel pg-card" aria-labelledby="reasons-title">
      <div className="pg-card-head">
        <h2 id="reasons-title">Downtime reason codes</h2>
        <button type="button" className="btn btn-primary" onClick={() => setEditing("new")} disabled={editing !== null}>
          New reason
        </button>
      </div>
      {editing !== null && (
        <ReasonForm
          key={editing === "new" ? "new" : editing.id}
          reason={editing === "new" ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={(r) => {
            onChange([...reasons.filter((x) => x.id !== r.id), r]);
            onNotice(editing === "new" ? `Reason “${r.name}” created.` : `Reason “${r.name}” saved.`);
            setEditing(null);
          }}
        />
      )}
      <ApiProblem error={error} action="Could not delete the reason code" />
      {reasons.length === 0 ? (
        <p className="muted">No reason codes yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Downtime reason codes</caption>
            <thead>
              <tr>
                {["Code", "Name", "Category", "Description", "Actions"].map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {reasons.map((r) => (
                <tr key={r.id}>
                  <td className="pg-mono">{r.code}</td>
                  <th scope="row">{r.name}</th>
                  <td>{r.category}</td>
                  <td>{r.description || "—"}</td>
                  <td>
                    <div className="pg-actions">
                      <button type="button" className="btn btn-small" onClick={() => setEditing(r)} aria-label={`Edit reason ${r.code}`}>
                        Edit
                      </button>
                      <ConfirmButton label="Delete" subject={`reason ${r.code}`} onConfirm={() => remove(r)} />
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
