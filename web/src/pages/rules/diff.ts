// A readable diff between two versions of a rule's spec: one line per changed setting, in words.
import { asCondition, asScope, conditionSummary, num, scopeSummary, type Names } from "./summary";

export interface DiffLine {
  label: string;
  from: string | null; // null: the setting is new (first version)
  to: string;
}

type Spec = Record<string, unknown>;

/** JSON with sorted keys, so equal specs compare equal whatever the key order. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== null && o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}

const yesNo = (v: unknown) => (v === true ? "yes" : v === false ? "no" : "—");
const text = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : String(v));
const numOr = (v: unknown, none: string, unit = "") => (typeof v === "number" ? `${num(v)}${unit}` : none);

interface Setting {
  key: string;
  label: string;
  show(v: unknown, names: Names): string;
}

const SETTINGS: Setting[] = [
  { key: "name", label: "Name", show: text },
  { key: "enabled", label: "Enabled", show: yesNo },
  { key: "severity", label: "Severity", show: text },
  { key: "safety", label: "Safety", show: yesNo },
  {
    key: "scope",
    label: "Scope",
    show: (v, names) => {
      const s = asScope(v);
      return s ? scopeSummary(s, names) : "—";
    },
  },
  {
    key: "condition",
    label: "Condition",
    show: (v) => {
      const c = asCondition(v);
      return c ? conditionSummary(c) : text(stable(v));
    },
  },
  { key: "message", label: "Message", show: (v) => (v ? `“${String(v)}”` : "default") },
  { key: "escalate_after_s", label: "Escalate after", show: (v) => numOr(v, "default by severity", " s") },
  { key: "max_alarms_per_hour", label: "Max alarms per hour", show: (v) => numOr(v, "no limit") },
];

const plain = (v: unknown) => (typeof v === "number" ? num(v) : typeof v === "object" && v !== null ? stable(v) : text(v));

/** Nested changes that the summary does not show (e.g. min_samples of a z-score): one line per field. */
function fieldLines(label: string, a: unknown, b: unknown): DiffLine[] {
  const ao = typeof a === "object" && a !== null ? (a as Spec) : {};
  const bo = typeof b === "object" && b !== null ? (b as Spec) : {};
  return [...new Set([...Object.keys(ao), ...Object.keys(bo)])]
    .filter((k) => stable(ao[k]) !== stable(bo[k]))
    .map((k) => ({ label: `${label} ${k.replace(/_/g, " ")}`, from: plain(ao[k]), to: plain(bo[k]) }));
}

/** The settings that differ from `prev` (all of them, as "new", for the first version). */
export function diffSpecs(prev: Spec | null, cur: Spec, names: Names): DiffLine[] {
  const out: DiffLine[] = [];
  for (const s of SETTINGS) {
    const to = s.show(cur[s.key], names);
    if (prev === null) {
      out.push({ label: s.label, from: null, to });
      continue;
    }
    if (stable(prev[s.key]) === stable(cur[s.key])) continue;
    const from = s.show(prev[s.key], names);
    if (from !== to) out.push({ label: s.label, from, to });
    else out.push(...fieldLines(s.label, prev[s.key], cur[s.key]));
  }
  return out;
}
