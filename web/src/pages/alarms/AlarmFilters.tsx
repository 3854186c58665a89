import type { MachineRef } from "../shared/machines";
import { SEVERITIES, type Severity } from "./api";
import { DEFAULT_FILTERS, isDefault, STATE_OPTIONS, STATUS_OPTIONS, type Filters, type StateFilter, type StatusFilter } from "./filters";

interface Props {
  value: Filters;
  machines: MachineRef[];
  onChange(f: Filters): void;
}

export function AlarmFilters({ value: f, machines, onChange }: Props) {
  const set = (patch: Partial<Filters>) => onChange({ ...f, ...patch });
  const sorted = [...machines].sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true }));
  return (
    <form className="filters" aria-label="Filter alarms" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor="f-status">Status</label>
        <select id="f-status" value={f.status} onChange={(e) => set({ status: e.target.value as StatusFilter })}>
          {STATUS_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-state">State</label>
        <select id="f-state" value={f.state} onChange={(e) => set({ state: e.target.value as StateFilter })}>
          {STATE_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-severity">Severity</label>
        <select id="f-severity" value={f.severity ?? ""} onChange={(e) => set({ severity: (e.target.value || null) as Severity | null })}>
          <option value="">Any severity</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s[0].toUpperCase() + s.slice(1)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-machine">Machine</label>
        <select id="f-machine" value={f.machineId ?? ""} onChange={(e) => set({ machineId: e.target.value || null })}>
          <option value="">All machines</option>
          {f.machineId && !machines.some((m) => m.id === f.machineId) && <option value={f.machineId}>Selected machine</option>}
          {sorted.map((m) => (
            <option key={m.id} value={m.id}>
              {m.path || m.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-check">
        <input id="f-safety" type="checkbox" checked={f.safety} onChange={(e) => set({ safety: e.target.checked })} />
        <label htmlFor="f-safety">Safety only</label>
      </div>
      <div className="field field-check">
        <input id="f-mine" type="checkbox" checked={f.mine} onChange={(e) => set({ mine: e.target.checked })} />
        <label htmlFor="f-mine">Assigned to me</label>
      </div>
      {f.ruleId && (
        <div className="field field-check">
          <input id="f-rule" type="checkbox" checked onChange={() => set({ ruleId: null })} />
          <label htmlFor="f-rule">Only rule {f.ruleId.slice(0, 8)}</label>
        </div>
      )}
      {!isDefault(f) && (
        <button type="button" className="btn" onClick={() => onChange(DEFAULT_FILTERS)}>
          Clear filters
        </button>
      )}
    </form>
  );
}
