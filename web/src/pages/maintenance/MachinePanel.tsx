// One machine's health: the current score in full and its history (a sparkline and the latest scores).
import { useEffect, useRef } from "react";
import { Link } from "react-router-dom";
import { formatDateTime } from "../../lib/time";
import { machineHealth } from "./api";
import { capOf, formatHorizon, formatProbability, formatRul, modelName } from "./format";
import { HealthBar, Sparkline, sparkLabel } from "./HealthBits";
import { LoadError, Loading } from "./States";
import type { Basics } from "./useMaintenanceBasics";
import { useResource } from "./useResource";

interface Props {
  machineId: string;
  refresh: number;
  basics: Basics;
  onClose(): void;
}

const HISTORY_ROWS = 10;

export function MachinePanel({ machineId, refresh, basics, onClose }: Props) {
  const res = useResource(() => machineHealth(machineId), `${machineId}-${refresh}`);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [machineId]);
  const name = basics.machineName(machineId);
  const tz = basics.tzFor(machineId);
  const cur = res.data?.current ?? null;
  const history = res.data?.history ?? [];
  const values = [...history].reverse().map((h) => h.health_index);

  return (
    <div id="mnt-machine-panel" className="panel pg-card mnt-machine-panel" role="region" aria-labelledby="mnt-machine-title">
      <div className="pg-card-head">
        <h3 id="mnt-machine-title" ref={heading} tabIndex={-1}>
          Health of {name}
        </h3>
        <span className="pg-actions">
          <Link to={`/machines/${machineId}`}>Machine details</Link>
          <button type="button" className="btn btn-small" onClick={onClose}>
            Close
          </button>
        </span>
      </div>
      {res.error && <LoadError what={`the health of ${name}`} error={res.error} onRetry={res.reload} />}
      {res.data === null && !res.error && <Loading what="health history" />}
      {res.data && !cur && <p className="pg-empty">{name} has not been scored yet.</p>}
      {cur && (
        <>
          <dl className="pg-facts">
            <dt>Health index</dt>
            <dd>
              <HealthBar index={cur.health_index} />
            </dd>
            <dt>Remaining life</dt>
            <dd>{formatRul(cur.rul_hours, capOf(cur.details))}</dd>
            <dt>Failure probability</dt>
            <dd>
              {formatProbability(cur.failure_probability)} within {formatHorizon(cur.horizon_hours)}
            </dd>
            <dt>Model</dt>
            <dd>{modelName(basics.models, cur.model_id)}</dd>
            <dt>Data until</dt>
            <dd>{formatDateTime(cur.data_until, tz)}</dd>
            <dt>Scored at</dt>
            <dd>{formatDateTime(cur.scored_at, tz)}</dd>
          </dl>
          {values.length > 1 && (
            <figure className="mnt-spark-figure">
              <Sparkline values={values} label={sparkLabel(values)} />
              <figcaption className="muted small">{sparkLabel(values)}</figcaption>
            </figure>
          )}
          <div className="table-wrap">
            <table className="table mnt-history-table">
              <caption className="sr-only">Latest scores of {name}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Scored at</th>
                  <th scope="col">Health</th>
                  <th scope="col">Remaining life</th>
                  <th scope="col">Failure probability</th>
                </tr>
              </thead>
              <tbody>
                {history.slice(0, HISTORY_ROWS).map((h) => (
                  <tr key={h.scored_at}>
                    <td className="nowrap">{formatDateTime(h.scored_at, tz)}</td>
                    <td className="num">{h.health_index.toFixed(1)}</td>
                    <td className="num">{formatRul(h.rul_hours, capOf(h.details))}</td>
                    <td className="num">{formatProbability(h.failure_probability)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small">
            Times in plant time ({tz}).{history.length > HISTORY_ROWS ? ` The latest ${HISTORY_ROWS} of ${history.length} scores.` : ""}
          </p>
        </>
      )}
    </div>
  );
}
