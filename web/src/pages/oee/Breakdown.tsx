// Per shift, per production day and (lines) per machine: the same figures as the summary, as tables.
import { formatDateTime } from "../../lib/time";
import { formatDuration } from "../../lib/zoned";
import type { Figures, LineOee, MachineOee } from "./api";
import { count, pct } from "./format";

const FIGURE_COLUMNS = ["OEE", "Availability", "Performance", "Quality", "Run", "Idle", "Down", "Good / total"];

function FigureCells({ f }: { f: Figures }) {
  return (
    <>
      <td className="num" data-label="OEE">{pct(f.oee)}</td>
      <td className="num" data-label="Availability">{pct(f.availability)}</td>
      <td className="num" data-label="Performance">{pct(f.performance)}</td>
      <td className="num" data-label="Quality">{pct(f.quality)}</td>
      <td className="num" data-label="Run">{formatDuration(f.run_time_s)}</td>
      <td className="num" data-label="Idle">{formatDuration(f.idle_time_s)}</td>
      <td className="num" data-label="Down">{formatDuration(f.down_time_s)}</td>
      <td className="num" data-label="Good / total">
        {count(f.good_count)} / {count(f.total_count)}
      </td>
    </>
  );
}

function Head({ first }: { first: string[] }) {
  return (
    <thead>
      <tr>
        {[...first, ...FIGURE_COLUMNS].map((c) => (
          <th key={c} scope="col">
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function Breakdown({ data, tz }: { data: MachineOee | LineOee; tz: string }) {
  const time = (t: string) => formatDateTime(t, tz).slice(11, 16);
  return (
    <section className="panel oee-breakdown" aria-labelledby="oee-breakdown-title">
      <h2 id="oee-breakdown-title">By shift and day</h2>
      {data.by_shift.length === 0 ? (
        <p className="muted">No shift time in this range.</p>
      ) : (
        <div className="table-wrap">
          <table className="table oee-table card-table" data-testid="oee-by-shift">
            <caption className="sr-only">OEE per shift (plant time, {tz})</caption>
            <Head first={["Shift", "Day", "Time"]} />
            <tbody>
              {data.by_shift.map((s) => (
                <tr key={`${s.shift_id ?? "all"}-${s.start}`}>
                  <th scope="row" data-label="Shift">
                    {s.name}
                  </th>
                  <td data-label="Day">{s.day}</td>
                  <td data-label="Time" className="nowrap">
                    {time(s.start)}–{time(s.end)}
                  </td>
                  <FigureCells f={s} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data.by_day.length > 1 && (
        <div className="table-wrap">
          <table className="table oee-table card-table" data-testid="oee-by-day">
            <caption className="sr-only">OEE per production day</caption>
            <Head first={["Day"]} />
            <tbody>
              {data.by_day.map((d) => (
                <tr key={d.day}>
                  <th scope="row" data-label="Day">
                    {d.day}
                  </th>
                  <FigureCells f={d} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {"machines" in data && (
        <>
          <h3>Machines of the line</h3>
          <div className="table-wrap">
            <table className="table oee-table card-table" data-testid="oee-by-machine">
              <caption className="sr-only">OEE per machine of the line</caption>
              <Head first={["Machine"]} />
              <tbody>
                {data.machines.map((m) => (
                  <tr key={m.machine_id}>
                    <th scope="row" data-label="Machine">
                      {m.name}
                      {!m.counted && <span className="muted small"> (not counted: no running signal)</span>}
                    </th>
                    <FigureCells f={m} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
