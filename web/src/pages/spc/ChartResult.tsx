// A computed control chart (stored or stateless): the chart, the moving-range companion of I-MR, the limits,
// the Phase I estimate, every rule violation in a table and the capability when specification limits are set.
import type { Capability, ChartView } from "./api";
import { typeLabel } from "./api";
import { fmt, ruleTag, SpcChart } from "./SpcChart";

export function ChartResult({ view, title }: { view: ChartView; title: string }) {
  const varying = view.limits.lcl === null && view.limits.ucl === null && view.points.some((p) => p.ucl !== null);
  const ph = view.phase1;
  return (
    <div className="spc-result">
      <p className="small" data-testid="spc-limits">
        <strong>{typeLabel(view.type)}</strong> · centre {fmt(view.center)}
        {view.sigma !== null ? ` · σ ${fmt(view.sigma)} (${view.sigma_method ?? "given"})` : ""} ·{" "}
        {varying ? "control limits vary with the subgroup size (per point)" : `LCL ${fmt(view.limits.lcl)}, UCL ${fmt(view.limits.ucl)}`} · {view.sigmas}σ
      </p>
      <SpcChart title={`${title} (${typeLabel(view.type)})`} points={view.points} violations={view.violations} />
      {view.moving_range && (
        <>
          <h4 className="spc-sub">Moving range</h4>
          <SpcChart title={`${title} (moving range)`} points={view.moving_range.points} violations={view.moving_range.violations} testId="spc-mr-chart" />
        </>
      )}
      <p className="small muted" data-testid="spc-phase1">
        Phase I: {ph.subgroups} subgroups, {ph.included} used for the limits
        {ph.excluded.length ? `, excluded ${ph.excluded.join(", ")}` : ""}; {ph.stable ? "in control" : "not in control (check the flagged subgroups)"}.
      </p>
      <h4 className="spc-sub">Rule violations ({view.violations.length})</h4>
      {view.violations.length === 0 ? (
        <p className="pg-ok">No rule is violated.</p>
      ) : (
        <div className="table-wrap spc-viol-table" tabIndex={0} role="region" aria-label="Rule violations">
          <table className="table" aria-label="Rule violations">
            <thead>
              <tr>
                <th scope="col">Subgroup</th>
                <th scope="col">Phase</th>
                <th scope="col">Rule</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {view.violations.map((v, i) => (
                <tr key={`${v.index}:${v.rule}:${i}`} data-testid="violation-row">
                  <th scope="row">{v.label}</th>
                  <td>{v.phase === 1 ? "I" : "II"}</td>
                  <td>
                    <span className="badge spc-rule">{v.rule}</span>
                    <span className="sr-only"> (marked {ruleTag(v.rule)} on the chart)</span>
                  </td>
                  <td>{v.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view.capability && <CapabilitySummary cap={view.capability} />}
    </div>
  );
}

function ci(v: number[] | null): string {
  return v && v.length === 2 ? `${fmt(v[0], 3)} – ${fmt(v[1], 3)}` : "—";
}

export function CapabilitySummary({ cap }: { cap: Capability }) {
  const rows: [string, number | null, number[] | null][] = [
    ["Cp", cap.cp, cap.ci.cp],
    ["Cpk", cap.cpk, cap.ci.cpk],
    ["Cpm", cap.cpm, cap.ci.cpm],
    ["Pp", cap.pp, cap.ci.pp],
    ["Ppk", cap.ppk, cap.ci.ppk],
  ];
  return (
    <section className="spc-cap" aria-label="Process capability">
      <h4 className="spc-sub">Capability</h4>
      <p className="small">
        n {cap.n}, mean {fmt(cap.mean)}, σ within {fmt(cap.sigma_within)}, σ overall {fmt(cap.sigma_overall)}; LSL {fmt(cap.lsl)}, USL {fmt(cap.usl)}
        {cap.target !== null ? `, target ${fmt(cap.target)}` : ""}.
      </p>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Capability indices">
        <table className="table" aria-label="Capability indices">
          <thead>
            <tr>
              <th scope="col">Index</th>
              <th scope="col" className="num">
                Value
              </th>
              <th scope="col">{Math.round(cap.confidence * 100)} % confidence interval</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([k, v, c]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td className={`num${v !== null && v < 1.33 ? " spc-low" : ""}`}>
                  {fmt(v, 3)}
                  {v !== null && v < 1.33 && <span className="sr-only"> (below 1.33)</span>}
                </td>
                <td>{ci(c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="small muted">
        Expected out of spec: {fmt(cap.expected_ppm_within.total, 3)} ppm (within), {fmt(cap.expected_ppm_overall.total, 3)} ppm (overall); observed{" "}
        {fmt(cap.observed_ppm.total, 3)} ppm.
      </p>
    </section>
  );
}
