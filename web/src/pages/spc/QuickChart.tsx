// Paste measurements → a chart, computed by the API without storing anything (POST /quality/spc/chart).
import { useId, useState } from "react";
import { ApiProblem } from "../shared/ApiProblem";
import { CHART_TYPES, computeChart, isAttribute, RULE_PRESETS, type ChartRequest, type ChartType, type ChartView, type RulePreset } from "./api";
import { ChartResult } from "./ChartResult";
import { parseCsv } from "./csv";

const num = (s: string): number | null => (s.trim() === "" ? null : Number(s));

export function QuickChart() {
  const ids = useId();
  const [text, setText] = useState("");
  const [type, setType] = useState<ChartType>("imr");
  const [size, setSize] = useState("");
  const [rules, setRules] = useState<RulePreset>("we");
  const [phase1, setPhase1] = useState("");
  const [lsl, setLsl] = useState("");
  const [usl, setUsl] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [view, setView] = useState<ChartView | null>(null);

  const attr = isAttribute(type);
  const parsed = parseCsv(text);
  const sizeN = num(size);
  const p1 = num(phase1);
  const lslN = num(lsl);
  const uslN = num(usl);
  const problem =
    parsed.problems[0] ??
    (sizeN !== null && (!Number.isInteger(sizeN) || sizeN < 1 || sizeN > 1000)
      ? "The subgroup size is a whole number from 1 to 1000."
      : p1 !== null && (!Number.isInteger(p1) || p1 < 2)
        ? "Phase I needs at least 2 subgroups."
        : [lslN, uslN].some((v) => v !== null && !Number.isFinite(v))
          ? "Specification limits must be numbers."
          : attr && parsed.subgroups.some((g) => g.length > 2)
            ? "Attribute charts take “count” or “count, size” per line."
            : null);

  function body(): Partial<ChartRequest> & { type: ChartType } {
    const base = {
      type,
      rules,
      ...(p1 !== null ? { phase1: p1 } : {}),
      ...(lslN !== null ? { lsl: lslN } : {}),
      ...(uslN !== null ? { usl: uslN } : {}),
    };
    const g = parsed.subgroups;
    if (attr) {
      const withSizes = g.every((r) => r.length === 2);
      return { ...base, counts: g.map((r) => r[0]), ...(withSizes ? { sizes: g.map((r) => r[1]) } : {}) };
    }
    if (sizeN !== null) return { ...base, values: g.flat(), subgroup_size: sizeN };
    return g.every((r) => r.length === 1) ? { ...base, values: g.map((r) => r[0]) } : { ...base, subgroups: g };
  }

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      setView(await computeChart(body()));
    } catch (e) {
      setError(e);
      setView(null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mnt-tab-body">
      <form
        className="panel"
        aria-labelledby={`${ids}-t`}
        onSubmit={(e) => {
          e.preventDefault();
          if (!problem && parsed.subgroups.length) void submit();
        }}
      >
        <h2 id={`${ids}-t`}>Quick chart from pasted data</h2>
        <p className="muted small">
          Nothing is stored. One subgroup per line (or one value per line for individuals; set a subgroup size to group them); attribute charts:
          “count, size” per line.
        </p>
        <div className="field">
          <label htmlFor={`${ids}-csv`}>Data (CSV)</label>
          <textarea
            id={`${ids}-csv`}
            rows={8}
            className="spc-csv"
            value={text}
            aria-invalid={problem !== null}
            aria-describedby={problem ? `${ids}-err` : undefined}
            onChange={(e) => setText(e.target.value)}
          />
          {problem && (
            <span id={`${ids}-err`} className="field-error">
              {problem}
            </span>
          )}
          <span className="muted small">{parsed.subgroups.length} rows read</span>
        </div>
        <div className="sch-fields">
          <div className="field">
            <label htmlFor={`${ids}-type`}>Chart type</label>
            <select id={`${ids}-type`} value={type} onChange={(e) => setType(e.target.value as ChartType)}>
              {CHART_TYPES.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-size`}>Subgroup size (optional)</label>
            <input id={`${ids}-size`} type="number" min="1" max="1000" step="1" value={size} onChange={(e) => setSize(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-rules`}>Rules</label>
            <select id={`${ids}-rules`} value={rules} onChange={(e) => setRules(e.target.value as RulePreset)}>
              {RULE_PRESETS.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-p1`}>Phase I subgroups (optional)</label>
            <input id={`${ids}-p1`} type="number" min="2" step="1" value={phase1} onChange={(e) => setPhase1(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-lsl`}>LSL (optional)</label>
            <input id={`${ids}-lsl`} inputMode="decimal" value={lsl} onChange={(e) => setLsl(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-usl`}>USL (optional)</label>
            <input id={`${ids}-usl`} inputMode="decimal" value={usl} onChange={(e) => setUsl(e.target.value)} />
          </div>
        </div>
        <div className="pg-actions">
          <button type="submit" className="btn btn-primary" disabled={busy || problem !== null || parsed.subgroups.length === 0}>
            {busy ? "Computing…" : "Compute chart"}
          </button>
        </div>
        <ApiProblem error={error} action="Could not compute the chart" />
      </form>
      {view && (
        <section className="panel" aria-label="Computed chart">
          <ChartResult view={view} title="Pasted data" />
        </section>
      )}
    </div>
  );
}
