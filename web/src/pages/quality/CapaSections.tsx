// The editable pieces of the 8D form: team (D1), root cause (D4), and action lists (D5/D7) with owners and
// due dates (open actions past due are highlighted).
import { useId } from "react";
import type { CapaAction, RootCause, TeamMember } from "./api";
import { isOverdue } from "./format";

const CATEGORIES: { value: NonNullable<RootCause["category"]>; label: string }[] = [
  { value: "man", label: "Man (people)" },
  { value: "machine", label: "Machine" },
  { value: "method", label: "Method" },
  { value: "material", label: "Material" },
  { value: "measurement", label: "Measurement" },
  { value: "environment", label: "Environment" },
];

export function TeamEditor({ team, onChange, disabled }: { team: TeamMember[]; onChange(t: TeamMember[]): void; disabled: boolean }) {
  const put = (i: number, m: Partial<TeamMember>) => onChange(team.map((t, j) => (j === i ? { ...t, ...m } : t)));
  return (
    <fieldset className="qa-d" disabled={disabled}>
      <legend>D1 · Team</legend>
      {team.length === 0 && <p className="pg-empty">No team members yet.</p>}
      <ul className="qa-rows">
        {team.map((t, i) => (
          <li key={i} className="qa-row">
            <label>
              Name
              <input value={t.name} onChange={(e) => put(i, { name: e.target.value })} maxLength={200} />
            </label>
            <label>
              Role
              <input value={t.role} onChange={(e) => put(i, { role: e.target.value })} maxLength={200} />
            </label>
            <button type="button" className="btn btn-small" onClick={() => onChange(team.filter((_, j) => j !== i))} aria-label={`Remove team member ${t.name || i + 1}`}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="btn btn-small" onClick={() => onChange([...team, { name: "", role: "", user_id: null }])}>
        Add team member
      </button>
    </fieldset>
  );
}

export function RootCauseEditor({ value, onChange, disabled }: { value: RootCause; onChange(r: RootCause): void; disabled: boolean }) {
  const whys = value.whys.length >= 5 ? value.whys : [...value.whys, ...Array<string>(5 - value.whys.length).fill("")];
  return (
    <fieldset className="qa-d" disabled={disabled}>
      <legend>D4 · Root cause</legend>
      <div className="qa-form-row">
        <label>
          Method
          <select value={value.method} onChange={(e) => onChange({ ...value, method: e.target.value === "fishbone" ? "fishbone" : "5why" })}>
            <option value="5why">5 whys</option>
            <option value="fishbone">Fishbone (Ishikawa)</option>
          </select>
        </label>
        <label>
          Category
          <select value={value.category ?? ""} onChange={(e) => onChange({ ...value, category: (e.target.value || null) as RootCause["category"] })}>
            <option value="">— not set —</option>
            {CATEGORIES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {value.method === "5why" && (
        <ol className="qa-whys">
          {whys.slice(0, 10).map((w, i) => (
            <li key={i}>
              <label>
                Why {i + 1}
                <input
                  value={w}
                  maxLength={2000}
                  onChange={(e) => {
                    const next = whys.slice();
                    next[i] = e.target.value;
                    while (next.length && !next[next.length - 1].trim()) next.pop();
                    onChange({ ...value, whys: next });
                  }}
                />
              </label>
            </li>
          ))}
        </ol>
      )}
      <label>
        Root cause statement
        <textarea value={value.statement} onChange={(e) => onChange({ ...value, statement: e.target.value })} rows={2} maxLength={4000} />
      </label>
    </fieldset>
  );
}

export function ActionsEditor({
  legend,
  noun,
  actions,
  onChange,
  disabled,
  today,
}: {
  legend: string;
  noun: string;
  actions: CapaAction[];
  onChange(a: CapaAction[]): void;
  disabled: boolean;
  today: string;
}) {
  const put = (i: number, m: Partial<CapaAction>) => onChange(actions.map((a, j) => (j === i ? { ...a, ...m } : a)));
  const overdue = actions.filter((a) => isOverdue(a.due_date, a.done, today)).length;
  const uid = useId();
  return (
    <fieldset className="qa-d" disabled={disabled}>
      <legend>
        {legend}
        {overdue > 0 && <span className="badge qa-badge-overdue">{overdue} overdue</span>}
      </legend>
      {actions.length === 0 && <p className="pg-empty">No {noun}s yet.</p>}
      <ul className="qa-rows">
        {actions.map((a, i) => {
          const late = isOverdue(a.due_date, a.done, today);
          return (
            <li key={i} className={`qa-row qa-action-row${late ? " qa-overdue" : ""}`} data-testid="capa-action-row">
              <label className="qa-grow">
                Action
                <input value={a.action} onChange={(e) => put(i, { action: e.target.value })} maxLength={2000} />
              </label>
              <label>
                Owner
                <input value={a.owner} onChange={(e) => put(i, { owner: e.target.value })} maxLength={200} />
              </label>
              <label>
                Due
                <input type="date" value={a.due_date} onChange={(e) => put(i, { due_date: e.target.value })} aria-describedby={late ? `${uid}-${i}-late` : undefined} />
              </label>
              <label className="pg-check qa-check">
                <input type="checkbox" checked={a.done} onChange={(e) => put(i, { done: e.target.checked })} />
                Done
              </label>
              {late && (
                <span id={`${uid}-${i}-late`} className="badge qa-badge-overdue">
                  Overdue
                </span>
              )}
              <button type="button" className="btn btn-small" onClick={() => onChange(actions.filter((_, j) => j !== i))} aria-label={`Remove ${noun} ${i + 1}`}>
                Remove
              </button>
            </li>
          );
        })}
      </ul>
      <button type="button" className="btn btn-small" onClick={() => onChange([...actions, { action: "", owner: "", due_date: "", done: false }])}>
        Add {noun}
      </button>
    </fieldset>
  );
}
