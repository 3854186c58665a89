// Plant overview ("/"): every machine as a live tile, grouped by site and line, with a summary on top.
import { useEffect, useMemo } from "react";
import { Link } from "react-router-dom";
import { formatTime, validTimeZone } from "../lib/time";
import { MachineTile } from "./overview/MachineTile";
import { groupMachines } from "./overview/model";
import { SummaryBar } from "./overview/SummaryBar";
import { useOeeCurrent } from "./overview/useOeeCurrent";
import { useOverview } from "./overview/useOverview";
import { useNow } from "./shared/useNow";
import "../styles.css";
import "./overview/overview.css";

export function Overview() {
  const { data, error, loading, skewMs, reload } = useOverview();
  const oee = useOeeCurrent();
  const now = useNow() + skewMs;
  const sites = useMemo(() => groupMachines(data?.machines ?? []), [data]);
  const tenantTz = validTimeZone(data?.timezone);

  useEffect(() => {
    document.title = "Overview · MIP";
  }, []);

  if (!data) {
    return (
      <section className="page" aria-labelledby="overview-title" aria-busy={loading}>
        <h1 id="overview-title">Plant overview</h1>
        {error ? (
          <div className="panel error-state" role="alert">
            <p>Could not load the plant overview: {error}</p>
            <button type="button" className="btn btn-primary" onClick={reload} disabled={loading}>
              {loading ? "Retrying…" : "Retry"}
            </button>
          </div>
        ) : (
          <p className="loading" role="status">
            Loading plant overview…
          </p>
        )}
      </section>
    );
  }

  return (
    <section className="page" aria-labelledby="overview-title">
      <div className="page-head">
        <h1 id="overview-title">Plant overview</h1>
        <p className="muted small">
          Refreshed <time dateTime={data.generated_at}>{formatTime(data.generated_at, tenantTz)}</time> ({tenantTz})
        </p>
      </div>
      {error && (
        <div className="notice notice-warn" role="alert">
          Could not refresh: {error}{" "}
          <button type="button" className="btn btn-small" onClick={reload}>
            Retry
          </button>
        </div>
      )}
      <SummaryBar machines={data.machines} now={now} />
      {data.machines.length === 0 ? (
        <div className="panel empty-state">
          <h2>No machines yet</h2>
          <p>
            The overview shows every machine in your plant. Add a site, its lines and machines, then attach sensors
            to the machines on the <Link to="/assets">Assets</Link> page (or import them from a CSV file there). Machines
            appear here as soon as they exist; values appear once their sensors send readings.
          </p>
          <Link className="btn btn-primary" to="/assets">
            Add assets
          </Link>
        </div>
      ) : (
        sites.map((site) => {
          const tz = validTimeZone(site.timezone, tenantTz);
          return (
            <section key={site.id} className="site-section" aria-labelledby={`site-${site.id}`}>
              <h2 id={`site-${site.id}`} className="site-title">
                {site.name} <span className="muted small">· {tz}</span>
              </h2>
              {site.lines.map((line) => (
                <section key={line.key || "none"} className="line-section" aria-labelledby={`line-${site.id}-${line.key}`}>
                  <h3 id={`line-${site.id}-${line.key}`} className="line-title">
                    {line.name} <span className="muted small">({line.machines.length})</span>
                  </h3>
                  <ul className="tile-grid" role="list">
                    {line.machines.map((m) => (
                      <li key={m.id}>
                        <MachineTile machine={m} now={now} tz={tz} oee={oee.byMachine.get(m.id)} />
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
            </section>
          );
        })
      )}
    </section>
  );
}
