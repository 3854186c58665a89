// One stored chart: the computed chart (Phase I with trial or frozen limits, then Phase II), adding subgroups
// by hand, and freezing the Phase I limits (with excluded subgroups or automatic exclusion).
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import { formatDateTime } from "../../lib/time";
import { ApiProblem } from "../shared/ApiProblem";
import { errorMessage } from "../shared/errors";
import { LoadError, Loading, Notice } from "../maintenance/States";
import { addSubgroups, freezeLimits, isAttribute, typeLabel, viewChart, type ChartView, type StoredChart, type SubgroupIn } from "./api";
import { ChartResult } from "./ChartResult";
import { parseCsv } from "./csv";

interface Props {
  chart: StoredChart;
  canWrite: boolean;
  tz: string;
  onChanged(c: StoredChart): void;
}

export function StoredChartPanel({ chart, canWrite, tz, onChanged }: Props) {
  const [view, setView] = useState<ChartView | null | undefined>(undefined); // null: no subgroups yet
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const load = useCallback(() => {
    const mine = ++seq.current;
    setError(null);
    viewChart(chart.id)
      .then((v) => mine === seq.current && setView(v))
      .catch((e) => {
        if (mine !== seq.current) return;
        if (e instanceof ApiError && e.status === 409) setView(null);
        else setError(errorMessage(e));
      });
  }, [chart.id]);
  useEffect(() => {
    setView(undefined);
    load();
  }, [load, chart.limits_version, chart.subgroups]);

  return (
    <section className="panel spc-detail" aria-labelledby="spc-detail-title">
      <div className="pg-card-head">
        <h2 id="spc-detail-title">{chart.name}</h2>
        <span className={`badge spc-status spc-status-${chart.status}`}>{chart.status === "phase2" ? "Phase II (limits frozen)" : "Phase I (trial limits)"}</span>
      </div>
      <p className="muted small">
        {typeLabel(chart.type)} · {chart.source === "sensor" ? `fed by a sensor, ${chart.subgroup_size} readings per subgroup` : `entered by hand, subgroups of ${chart.subgroup_size}`} ·{" "}
        {chart.subgroups} subgroups
        {chart.frozen_at ? ` · limits frozen ${formatDateTime(chart.frozen_at, tz)} (version ${chart.limits_version})` : ""}
        {chart.description ? ` · ${chart.description}` : ""}
      </p>
      {error ? (
        <LoadError what="the chart" error={error} onRetry={load} />
      ) : view === undefined ? (
        <Loading what="the chart" />
      ) : view === null ? (
        <p className="pg-empty">No subgroups yet{chart.source === "manual" && canWrite ? ": add the first ones below." : "."}</p>
      ) : (
        <ChartResult view={view} title={chart.name} />
      )}
      {canWrite && chart.source === "manual" && <AddSubgroups chart={chart} onAdded={onChanged} />}
      {canWrite && chart.status === "phase1" && chart.subgroups >= 2 && <FreezeForm chart={chart} onFrozen={onChanged} />}
    </section>
  );
}

function AddSubgroups({ chart, onAdded }: { chart: StoredChart; onAdded(c: StoredChart): void }) {
  const ids = useId();
  const attr = isAttribute(chart.type);
  const [text, setText] = useState("");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const parsed = parseCsv(text);
  const shapeProblem = parsed.subgroups.find((g) => (attr ? g.length < 1 || g.length > 2 : false))
    ? "Attribute charts take “count” or “count, size” per line."
    : null;
  const problem = parsed.problems[0] ?? shapeProblem;

  async function submit() {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const subgroups: SubgroupIn[] = parsed.subgroups.map((g) =>
        attr ? { count: g[0], ...(g.length > 1 ? { size: g[1] } : {}), note } : { values: g, note },
      );
      const out = await addSubgroups(chart.id, subgroups);
      const range = out.first_seq === out.last_seq ? `subgroup ${out.first_seq}` : `subgroups ${out.first_seq}–${out.last_seq}`;
      setDone(
        `Added ${range} (Phase ${out.phase === 1 ? "I" : "II"})` +
          (out.signals.length ? `; ${out.signals.length} signal${out.signals.length === 1 ? "" : "s"}: ${out.signals.map((s) => `#${s.seq} ${s.rule}`).join(", ")}.` : "."),
      );
      setText("");
      onAdded({ ...chart, subgroups: chart.subgroups + subgroups.length });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="spc-add"
      aria-labelledby={`${ids}-t`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem && parsed.subgroups.length) void submit();
      }}
    >
      <h3 id={`${ids}-t`}>Add subgroups</h3>
      <div className="field">
        <label htmlFor={`${ids}-v`}>{attr ? "One subgroup per line: count, units inspected" : `One subgroup per line: its ${chart.subgroup_size} measurement(s)`}</label>
        <textarea
          id={`${ids}-v`}
          rows={3}
          value={text}
          aria-invalid={problem !== null}
          aria-describedby={problem ? `${ids}-err` : undefined}
          placeholder={attr ? "3, 50" : "10.02, 9.98, 10.01, 10.00, 9.97"}
          onChange={(e) => setText(e.target.value)}
        />
        {problem && (
          <span id={`${ids}-err`} className="field-error">
            {problem}
          </span>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-n`}>Note (optional)</label>
        <input id={`${ids}-n`} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </div>
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || problem !== null || parsed.subgroups.length === 0}>
          {busy ? "Adding…" : `Add ${parsed.subgroups.length || ""} subgroup${parsed.subgroups.length === 1 ? "" : "s"}`.replace("  ", " ")}
        </button>
      </div>
      {done && <Notice>{done}</Notice>}
      <ApiProblem error={error} action="Could not add the subgroups" />
    </form>
  );
}

function FreezeForm({ chart, onFrozen }: { chart: StoredChart; onFrozen(c: StoredChart): void }) {
  const ids = useId();
  const [through, setThrough] = useState("");
  const [exclude, setExclude] = useState("");
  const [auto, setAuto] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const excl = exclude
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map(Number);
  const throughN = through.trim() ? Number(through) : null;
  const problem =
    excl.some((n) => !Number.isInteger(n) || n < 1)
      ? "Excluded subgroups are numbers, e.g. 3, 7."
      : throughN !== null && (!Number.isInteger(throughN) || throughN < 2)
        ? "Phase I needs at least 2 subgroups."
        : null;

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      onFrozen(await freezeLimits(chart.id, { exclude: excl, auto_exclude: auto, ...(throughN !== null ? { through_seq: throughN } : {}) }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="spc-freeze"
      aria-labelledby={`${ids}-t`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem) void submit();
      }}
    >
      <h3 id={`${ids}-t`}>Freeze the Phase I limits</h3>
      <p className="muted small">Later subgroups are Phase II: judged against these limits, with signals and alarms.</p>
      <div className="sch-fields">
        <div className="field">
          <label htmlFor={`${ids}-th`}>Phase I ends at subgroup</label>
          <input id={`${ids}-th`} type="number" min="2" step="1" placeholder={`all ${chart.subgroups}`} value={through} onChange={(e) => setThrough(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-ex`}>Exclude subgroups (assignable causes)</label>
          <input id={`${ids}-ex`} placeholder="e.g. 3, 7" value={exclude} onChange={(e) => setExclude(e.target.value)} />
        </div>
      </div>
      <label className="field-check">
        <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} />
        Also drop the subgroups the rules flag and re-estimate
      </label>
      {problem && <p className="field-error">{problem}</p>}
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || problem !== null}>
          {busy ? "Freezing…" : "Freeze limits"}
        </button>
      </div>
      <ApiProblem error={error} action="Could not freeze the limits" />
    </form>
  );
}
