// Open a CAPA (8D): title, linked NCRs (pre-selected when opened from an NCR), the team, D2 problem and D3
// containment. The rest of the 8D is filled in on the CAPA afterwards.
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { ApiProblem } from "../shared/ApiProblem";
import { createCapa, type Capa, type Ncr } from "./api";

/** "Ann Smith, quality engineer\nBo Li" → [{name, role}]. */
export function parseTeam(text: string): { name: string; role: string }[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf(",");
      return i < 0 ? { name: l, role: "" } : { name: l.slice(0, i).trim(), role: l.slice(i + 1).trim() };
    })
    .filter((m) => m.name);
}

interface Props {
  ncrs: Ncr[];
  preselect: string[];
  onCreated(c: Capa): void;
  onCancel(): void;
}

export function CapaForm({ ncrs, preselect, onCreated, onCancel }: Props) {
  const from = ncrs.find((n) => preselect.includes(n.id));
  const [title, setTitle] = useState(from ? `${from.ncr_number}: ${from.title}` : "");
  const [linked, setLinked] = useState<string[]>(preselect);
  const [team, setTeam] = useState("");
  const [problem, setProblem] = useState(from?.description ?? "");
  const [containment, setContainment] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [touched, setTouched] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const id = useId();
  useEffect(() => first.current?.focus(), []);
  const candidates = ncrs.filter((n) => linked.includes(n.id) || (n.status !== "closed" && n.status !== "cancelled"));
  const titleError = title.trim() ? null : "Enter a title.";

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (titleError) return;
    setBusy(true);
    setError(null);
    try {
      onCreated(await createCapa({ title: title.trim(), ncr_ids: linked, team: parseTeam(team), problem: problem.trim(), containment: containment.trim() }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel pg-form qa-form" aria-labelledby={`${id}-h`} onSubmit={(e) => void submit(e)} noValidate>
      <h2 id={`${id}-h`}>Open a CAPA (8D)</h2>
      <label>
        Title
        <input ref={first} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} aria-invalid={touched && titleError ? true : undefined} aria-describedby={touched && titleError ? `${id}-te` : undefined} />
      </label>
      {touched && titleError && (
        <p id={`${id}-te`} className="field-error">
          {titleError}
        </p>
      )}
      <fieldset className="qa-ncr-links">
        <legend>Linked NCRs</legend>
        {candidates.length === 0 && <p className="pg-empty">No open NCRs.</p>}
        {candidates.map((n) => (
          <label key={n.id} className="pg-check qa-check">
            <input type="checkbox" checked={linked.includes(n.id)} onChange={(e) => setLinked(e.target.checked ? [...linked, n.id] : linked.filter((x) => x !== n.id))} />
            <span className="pg-mono">{n.ncr_number}</span> {n.title}
          </label>
        ))}
      </fieldset>
      <label>
        D1 · Team (one per line: name, role)
        <textarea value={team} onChange={(e) => setTeam(e.target.value)} rows={3} placeholder={"Ann Smith, quality engineer\nBo Li, production lead"} />
      </label>
      <label>
        D2 · Problem description
        <textarea value={problem} onChange={(e) => setProblem(e.target.value)} rows={3} maxLength={20000} />
      </label>
      <label>
        D3 · Containment
        <textarea value={containment} onChange={(e) => setContainment(e.target.value)} rows={2} maxLength={20000} />
      </label>
      <ApiProblem error={error} action="Could not open the CAPA" labels={{ title: "Title", ncr_ids: "Linked NCRs", team: "Team" }} />
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Opening…" : "Open CAPA"}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
