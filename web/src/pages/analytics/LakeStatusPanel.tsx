// Lake status of the caller's tenant: the key, and per dataset how fresh and how big the exported data is,
// with the last export error. A dataset's state is said in words, not only by colour.
import { useCallback, useEffect, useState } from "react";
import { ApiError } from "../../api/client";
import { ago, formatDateTime } from "../../lib/time";
import { formatDuration } from "../../lib/zoned";
import { ApiProblem } from "../shared/ApiProblem";
import { lakeStatus, type DatasetStatus, type LakeStatus } from "./api";
import { formatBytes, formatCount } from "./format";

/** Every closed hour is exported within an ETL round or two; more than this behind means the export is stuck. */
export const BEHIND_AFTER_S = 3 * 3600;

type Health = { label: string; tone: "ok" | "warn" | "crit" | "muted" };

export function datasetHealth(d: DatasetStatus, now = Date.now()): Health {
  if (d.last_error) return { label: "Error", tone: "crit" };
  if (!d.exported_through) return { label: "Not exported yet", tone: "muted" };
  const behind = (now - new Date(d.exported_through).getTime()) / 1000;
  if (behind > BEHIND_AFTER_S) return { label: `Behind by ${formatDuration(behind)}`, tone: "warn" };
  return { label: "Up to date", tone: "ok" };
}

const KEY_TEXT: Record<string, string> = {
  present: "present",
  missing: "not created yet (created by the first export)",
  shredded: "shredded: the lake files of this tenant can no longer be decrypted",
};

export function LakeStatusPanel({ timeZone }: { timeZone: string }) {
  const [status, setStatus] = useState<LakeStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [at, setAt] = useState<number | null>(null);

  const load = useCallback(() => {
    setLoading(true);
    lakeStatus()
      .then(
        (s) => {
          setStatus(s);
          setError(null);
          setAt(Date.now());
        },
        (e) => setError(e),
      )
      .finally(() => setLoading(false));
  }, []);
  useEffect(load, [load]);

  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <section className="panel an-lake" aria-labelledby="an-lake-title">
      <div className="pg-card-head">
        <h2 id="an-lake-title">Lake status</h2>
        <span className="pg-actions">
          {at !== null && <span className="muted small">as of {formatDateTime(at, timeZone)}</span>}
          <button type="button" className="btn btn-small" onClick={load} disabled={loading}>
            {loading ? "Refreshing…" : "Refresh"}
          </button>
        </span>
      </div>
      {forbidden ? (
        <p className="notice" role="alert">
          Your role may not read the lake status (it needs analytics or lake administration rights).
        </p>
      ) : (
        <ApiProblem error={error} action="Could not load the lake status" />
      )}
      {!status && !error && <p className="loading" role="status">Loading lake status…</p>}
      {status && (
        <>
          <dl className="pg-facts an-lake-facts">
            <dt>Lake</dt>
            <dd className="pg-mono">{status.lake_url}</dd>
            <dt>Encryption key</dt>
            <dd className={status.key === "shredded" ? "an-crit" : undefined} data-testid="lake-key">
              {KEY_TEXT[status.key] ?? status.key}
              {status.shredded_at && ` (${formatDateTime(status.shredded_at, timeZone)})`}
            </dd>
          </dl>
          <div className="table-wrap" role="region" aria-labelledby="an-lake-caption" tabIndex={0}>
            <table className="table an-lake-table">
              <caption id="an-lake-caption" className="sr-only">
                Datasets in the lake
              </caption>
              <thead>
                <tr>
                  <th scope="col">Dataset</th>
                  <th scope="col">State</th>
                  <th scope="col">Newest record</th>
                  <th scope="col">Exported through</th>
                  <th scope="col" className="num">Rows</th>
                  <th scope="col" className="num">Files</th>
                  <th scope="col" className="num">Size</th>
                  <th scope="col">Oldest day</th>
                  <th scope="col">Last run</th>
                </tr>
              </thead>
              <tbody>
                {status.datasets.map((d) => {
                  const h = datasetHealth(d);
                  return (
                    <tr key={d.dataset} data-testid={`lake-${d.dataset}`}>
                      <th scope="row">
                        <span className="pg-mono">{d.dataset}</span>
                        <span className="muted small an-block">
                          {d.description} · {d.data_class}
                        </span>
                      </th>
                      <td>
                        <span className={`an-state an-${h.tone}`}>{h.label}</span>
                        {d.last_error && <span className="an-block an-error-text small">{d.last_error}</span>}
                      </td>
                      <td>
                        {d.newest_ts ? (
                          <>
                            {formatDateTime(d.newest_ts, timeZone)}
                            {d.freshness_lag_s !== null && <span className="muted small an-block">lag {formatDuration(d.freshness_lag_s)}</span>}
                          </>
                        ) : (
                          <span className="muted">none</span>
                        )}
                      </td>
                      <td>{d.exported_through ? formatDateTime(d.exported_through, timeZone) : <span className="muted">—</span>}</td>
                      <td className="num">{formatCount(d.rows)}</td>
                      <td className="num">{formatCount(d.files)}</td>
                      <td className="num">{formatBytes(d.bytes)}</td>
                      <td>{d.oldest_day ?? <span className="muted">—</span>}</td>
                      <td>{d.last_run_at ? <span title={formatDateTime(d.last_run_at, timeZone)}>{ago(d.last_run_at)}</span> : <span className="muted">never</span>}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p className="muted small">
            Lag: time since the newest exported record (events such as alarms can be legitimately old). “Behind” means closed hours older than{" "}
            {formatDuration(BEHIND_AFTER_S)} are not exported yet. Times in plant time ({timeZone}).
          </p>
        </>
      )}
    </section>
  );
}
