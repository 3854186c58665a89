// Which alarms a subscription or webhook receives: sites, lines (none checked = any), the lowest severity,
// safety alarms only, and the alarm events. Shared by the subscription and webhook forms.
import type { Schemas } from "../../api/client";
import { DEFAULT_KINDS, EVENT_KINDS, SEVERITIES, type EventKind, type Severity } from "./api";

type Asset = Schemas["AssetOut"];

export interface Filters {
  site_ids: string[];
  line_ids: string[];
  min_severity: Severity;
  safety_only: boolean;
  event_kinds: EventKind[];
}

export const DEFAULT_FILTERS: Filters = { site_ids: [], line_ids: [], min_severity: "warning", safety_only: false, event_kinds: DEFAULT_KINDS };

const KIND_SET = new Set<string>(EVENT_KINDS.map((k) => k.value));

/** Filters of a subscription or webhook as the API returns them (event kinds are plain strings there). */
export function filtersOf(x: { site_ids: string[]; line_ids: string[]; min_severity: Severity; safety_only: boolean; event_kinds: string[] }): Filters {
  return {
    site_ids: x.site_ids,
    line_ids: x.line_ids,
    min_severity: x.min_severity,
    safety_only: x.safety_only,
    event_kinds: x.event_kinds.filter((k): k is EventKind => KIND_SET.has(k)),
  };
}

/** Client-side checks: at least one event kind. */
export function filterErrors(f: Filters): { event_kinds?: string } {
  return f.event_kinds.length === 0 ? { event_kinds: "Pick at least one event" } : {};
}

function toggle<T>(list: T[], v: T, on: boolean): T[] {
  return on ? [...new Set([...list, v])] : list.filter((x) => x !== v);
}

interface Props {
  id: string;
  value: Filters;
  onChange(f: Filters): void;
  sites: Asset[];
  lines: Asset[];
  errors?: { event_kinds?: string };
}

export function FilterFields({ id, value: f, onChange, sites, lines, errors = {} }: Props) {
  const set = (patch: Partial<Filters>) => onChange({ ...f, ...patch });
  return (
    <div className="nf-filters">
      <fieldset className="pg-picker nf-choices">
        <legend>Sites</legend>
        {sites.length === 0 && <span className="muted small">No sites</span>}
        {sites.map((s) => (
          <label key={s.id}>
            <input type="checkbox" checked={f.site_ids.includes(s.id)} onChange={(e) => set({ site_ids: toggle(f.site_ids, s.id, e.target.checked) })} />
            {s.name}
          </label>
        ))}
        <span className="muted small nf-hint">None checked: every site</span>
      </fieldset>
      <fieldset className="pg-picker nf-choices">
        <legend>Lines</legend>
        {lines.length === 0 && <span className="muted small">No lines</span>}
        {lines.map((l) => (
          <label key={l.id}>
            <input type="checkbox" checked={f.line_ids.includes(l.id)} onChange={(e) => set({ line_ids: toggle(f.line_ids, l.id, e.target.checked) })} />
            {l.path}
          </label>
        ))}
        <span className="muted small nf-hint">None checked: every line</span>
      </fieldset>
      <div className="nf-row">
        <div className="field">
          <label htmlFor={`${id}-severity`}>Minimum severity</label>
          <select id={`${id}-severity`} value={f.min_severity} onChange={(e) => set({ min_severity: e.target.value as Severity })}>
            {SEVERITIES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <label className="pg-check">
          <input type="checkbox" checked={f.safety_only} onChange={(e) => set({ safety_only: e.target.checked })} />
          Safety alarms only
        </label>
      </div>
      <fieldset
        id={`${id}-events`}
        tabIndex={-1}
        className="pg-picker nf-choices"
        aria-invalid={errors.event_kinds ? true : undefined}
        aria-describedby={errors.event_kinds ? `${id}-events-err` : undefined}
      >
        <legend>Alarm events</legend>
        {EVENT_KINDS.map((k) => (
          <label key={k.value}>
            <input type="checkbox" checked={f.event_kinds.includes(k.value)} onChange={(e) => set({ event_kinds: toggle(f.event_kinds, k.value, e.target.checked) })} />
            {k.label}
          </label>
        ))}
        {errors.event_kinds && (
          <span id={`${id}-events-err`} className="field-error nf-hint">
            {errors.event_kinds}
          </span>
        )}
      </fieldset>
      <p className="muted small">Safety alarms pass the severity floor and are never silenced by quiet hours.</p>
    </div>
  );
}

/** "Safety only · major+ · Line A · opened, escalated": a filter set in words. */
export function filtersSummary(f: Filters, names: Map<string, string>): string {
  const where = [...f.site_ids, ...f.line_ids].map((id) => names.get(id) ?? id.slice(0, 8));
  const parts = [
    f.safety_only ? "safety alarms only" : f.min_severity === "warning" ? "all severities" : f.min_severity === "critical" ? "critical only" : `${f.min_severity} and above`,
    where.length ? where.join(", ") : "everywhere",
    f.event_kinds.join(", ") || "no events",
  ];
  return parts.join(" · ");
}
