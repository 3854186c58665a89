// The headline figures of a machine or line over the chosen span: OEE, availability, performance and
// quality (with the reason when one is missing), where the time went, and the counts.
import { formatDuration } from "../../lib/zoned";
import type { Figures, LineOee, MachineOee } from "./api";
import { count, pct, whyMissing, type Component } from "./format";

const PARTS: { key: Component; label: string; hint: string }[] = [
  { key: "oee", label: "OEE", hint: "availability × performance × quality" },
  { key: "availability", label: "Availability", hint: "run time / planned production time" },
  { key: "performance", label: "Performance", hint: "ideal cycle time × total count / run time" },
  { key: "quality", label: "Quality", hint: "good count / total count" },
];

function Value({ f, c, configured }: { f: Figures; c: Component; configured: boolean }) {
  const v = f[c];
  if (v !== null) return <>{pct(v)}</>;
  const why = whyMissing(c, { ...f, configured }, f);
  return (
    <span title={why}>
      —<span className="oee-why"> ({why})</span>
    </span>
  );
}

export function Summary({ data }: { data: MachineOee | LineOee }) {
  const f = data.totals;
  const configured = "configured" in data ? data.configured : data.machines.some((m) => m.configured);
  const times: [string, number][] = [
    ["Run", f.run_time_s],
    ["Idle", f.idle_time_s],
    ["Down", f.down_time_s],
    ["Planned stops", f.planned_stop_time_s],
    ["Planned production time", f.planned_time_s],
    ["Shift time", f.shift_time_s],
  ];
  return (
    <section className="panel oee-summary" aria-labelledby="oee-summary-title" data-testid="oee-summary">
      <h2 id="oee-summary-title">{data.name}</h2>
      {!configured && (
        <p className="notice notice-warn" role="note">
          No running signal is configured{"machines" in data ? " for the machines of this line" : " for this machine"}: without
          one every minute counts as down. An administrator or engineer can set it under Settings.
        </p>
      )}
      <dl className="oee-figures">
        {PARTS.map((p) => (
          <div key={p.key} className={`oee-figure oee-figure-${p.key}`} data-testid={`figure-${p.key}`}>
            <dt title={p.hint}>{p.label}</dt>
            <dd>
              <Value f={f} c={p.key} configured={configured} />
              {p.key !== "oee" && f[p.key] !== null && (
                <span className="oee-meter" aria-hidden="true">
                  <span style={{ width: `${Math.round(Math.min(1, Math.max(0, f[p.key] ?? 0)) * 100)}%` }} />
                </span>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {f.performance_capped && (
        <p className="muted small">
          Performance was above 100 % ({pct(f.performance_raw)}) and is capped: is the ideal cycle time too slow?
        </p>
      )}
      <div className="oee-facts">
        <dl className="oee-factlist" aria-label="Time">
          {times.map(([label, s]) => (
            <div key={label} className="oee-fact">
              <dt>{label}</dt>
              <dd className="num">{formatDuration(s)}</dd>
            </div>
          ))}
        </dl>
        <dl className="oee-factlist" aria-label="Counts">
          <div className="oee-fact">
            <dt>Total count</dt>
            <dd className="num" data-testid="count-total">{count(f.total_count)}</dd>
          </div>
          <div className="oee-fact">
            <dt>Good</dt>
            <dd className="num" data-testid="count-good">{count(f.good_count)}</dd>
          </div>
          <div className="oee-fact">
            <dt>Reject</dt>
            <dd className="num" data-testid="count-reject">{count(f.reject_count)}</dd>
          </div>
        </dl>
      </div>
    </section>
  );
}
