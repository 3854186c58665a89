// SQL helpers of the editor: the $name parameters a query uses (outside strings and comments), parameter
// values as typed into the form → JSON values of their declared type, and inserting text at the cursor.
import { fromLocalInput, toLocalInput } from "../../lib/zoned";
import type { ParamSpec, ParamType, ParamValue } from "./api";

export const PARAM_TYPES: { value: ParamType; label: string }[] = [
  { value: "string", label: "Text" },
  { value: "number", label: "Number" },
  { value: "integer", label: "Integer" },
  { value: "boolean", label: "Yes/no" },
  { value: "timestamp", label: "Time" },
];

/** The query text without string literals, quoted identifiers, dollar-quoted strings and comments. */
function codeOnly(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'?|"(?:[^"]|"")*"?|\$\$[\s\S]*?(?:\$\$|$)|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/g, " ");
}

/** "$sensor_path" names in order of first use (DuckDB's named parameters; $1-style positions are not names). */
export function paramNames(sql: string): string[] {
  const out: string[] = [];
  for (const m of codeOnly(sql).matchAll(/\$([A-Za-z_][A-Za-z0-9_]{0,62})\b/g)) {
    if (!out.includes(m[1])) out.push(m[1]);
  }
  return out;
}

/** One parameter as the form holds it: its type and the text typed (datetime-local text for times). */
export interface ParamInput {
  type: ParamType;
  value: string;
  description?: string;
  /** A saved query's default (used by the server when the value is left empty). */
  hasDefault?: boolean;
}

export type Coerced = { ok: true; value: ParamValue | undefined } | { ok: false; error: string };

/** The typed text as the JSON value the API expects; undefined for an empty field. */
export function coerceParam(p: ParamInput, timeZone: string): Coerced {
  const raw = p.value.trim();
  if (p.type === "string") return { ok: true, value: p.value === "" ? undefined : p.value };
  if (raw === "") return { ok: true, value: undefined };
  switch (p.type) {
    case "integer":
      return /^[+-]?\d+$/.test(raw) && Number.isSafeInteger(Number(raw)) ? { ok: true, value: Number(raw) } : { ok: false, error: "enter a whole number" };
    case "number": {
      const n = Number(raw);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, error: "enter a number" };
    }
    case "boolean":
      return raw === "true" || raw === "false" ? { ok: true, value: raw === "true" } : { ok: false, error: "choose yes or no" };
    case "timestamp": {
      const d = fromLocalInput(raw, timeZone);
      return d ? { ok: true, value: d.toISOString() } : { ok: false, error: "enter a date and time" };
    }
  }
}

/** A saved query's parameter default as form text. */
export function defaultText(spec: ParamSpec, timeZone: string): string {
  const d = spec.default;
  if (d === null || d === undefined) return "";
  if (spec.type === "timestamp" && typeof d === "string") {
    const t = new Date(d);
    return Number.isNaN(t.getTime()) ? d : toLocalInput(t, timeZone);
  }
  return String(d);
}

export interface ParamsCheck {
  values: Record<string, ParamValue>;
  errors: Record<string, string>;
}

/**
 * Values for the names the query uses. Empty fields are left out when running a saved query that has a
 * default for them (the server applies it) and are an error otherwise.
 */
export function collectParams(names: string[], inputs: Record<string, ParamInput>, timeZone: string, useDefaults = false): ParamsCheck {
  const values: Record<string, ParamValue> = {};
  const errors: Record<string, string> = {};
  for (const name of names) {
    const p = inputs[name] ?? { type: "string", value: "" };
    const c = coerceParam(p, timeZone);
    if (!c.ok) errors[name] = c.error;
    else if (c.value !== undefined) values[name] = c.value;
    else if (!(useDefaults && p.hasDefault)) errors[name] = "enter a value";
  }
  return { values, errors };
}

/** Parameter declarations for saving: the current values become the defaults. */
export function paramSpecs(names: string[], inputs: Record<string, ParamInput>, timeZone: string): ParamSpec[] {
  return names.map((name) => {
    const p = inputs[name] ?? { type: "string", value: "" };
    const c = coerceParam(p, timeZone);
    return { name, type: p.type, default: c.ok && c.value !== undefined ? c.value : null, description: p.description ?? "" };
  });
}

/** Text with `insert` replacing [start, end), and where the cursor goes after it. */
export function insertAt(text: string, start: number, end: number, insert: string): { text: string; cursor: number } {
  const before = text.slice(0, start);
  const after = text.slice(end);
  // keep identifiers apart: "from" + "readings" → "from readings"
  const pre = before && /[\w$]$/.test(before) ? " " : "";
  const post = after && /^[\w$]/.test(after) ? " " : "";
  const piece = `${pre}${insert}${post}`;
  return { text: before + piece + after, cursor: before.length + pre.length + insert.length };
}

/** A name as a SQL identifier: bare when it is a plain lower-case word, else double-quoted. */
export function ident(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
