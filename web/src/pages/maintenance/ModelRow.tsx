// One model version in the registry: what it predicts for which machine class, its status, cross-validated
// error, who trained it on what; administrators and engineers promote or retire it.
import { useState } from "react";
import { formatDateTime } from "../../lib/time";
import { ApiProblem } from "../shared/ApiProblem";
import { ConfirmButton } from "../shared/ConfirmButton";
import { promoteModel, retireModel, type Model } from "./api";
import { formatHours, MODEL_KIND_TEXT, MODEL_STATUS_ICON, MODEL_STATUS_TEXT, modelLabel, modelMetrics, trainingDataText } from "./format";
import type { Basics } from "./useMaintenanceBasics";

interface Props {
  model: Model;
  basics: Basics;
  canWrite: boolean;
  onChanged(m: Model, verb: string): void;
}

export function ModelRow({ model: m, basics, canWrite, onChanged }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ action: string; error: unknown } | null>(null);
  const label = modelLabel(m);
  const { rmse, mae, folds } = modelMetrics(m);

  async function run(action: "promote" | "retire") {
    setBusy(true);
    setError(null);
    try {
      onChanged(await (action === "promote" ? promoteModel(m.id) : retireModel(m.id)), action === "promote" ? "promoted: it now scores its machine class" : "retired");
    } catch (e) {
      setError({ action: `Could not ${action} ${label}`, error: e });
    } finally {
      setBusy(false);
    }
  }

  return (
    <tr className={`mnt-row mnt-model-row${m.status === "retired" ? " is-closed" : ""}`} data-testid="model-row">
      <th scope="row">
        {label}
        <span className="muted small mnt-sub">{MODEL_KIND_TEXT[m.kind]}</span>
      </th>
      <td data-label="Machine class">
        <code>{m.machine_class}</code>
      </td>
      <td data-label="Status">
        <span className={`badge mnt-model-${m.status}`}>
          <span aria-hidden="true">{MODEL_STATUS_ICON[m.status]}</span> {MODEL_STATUS_TEXT[m.status]}
        </span>
        {m.next_retrain_at && <span className="muted small mnt-sub">Retrains {formatDateTime(m.next_retrain_at, basics.tenantTz)}</span>}
      </td>
      <td data-label="Error (CV)" className="num">
        {rmse !== null ? (
          <>
            RMSE {formatHours(rmse)}
            {mae !== null && <span className="muted small mnt-sub">MAE {formatHours(mae)}</span>}
            {folds !== null && <span className="muted small mnt-sub">{folds}-fold, by machine life</span>}
          </>
        ) : (
          "—"
        )}
      </td>
      <td data-label="Trained by">{m.trained_by ? basics.userName(m.trained_by) : <span className="muted">Scheduled retraining</span>}</td>
      <td data-label="Training data" className="mnt-col-data small">
        {trainingDataText(m)}
      </td>
      <td data-label="Created" className="nowrap">
        {formatDateTime(m.created_at, basics.tenantTz)}
      </td>
      {canWrite && (
        <td data-label="Actions" className="mnt-col-actions">
          <div className="pg-actions">
            {m.status !== "active" && (
              <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => run("promote")} aria-label={`Promote ${label}`}>
                Promote
              </button>
            )}
            {m.status !== "retired" && <ConfirmButton label="Retire" subject={label} onConfirm={() => run("retire")} />}
          </div>
          {error && <ApiProblem error={error.error} action={error.action} />}
        </td>
      )}
    </tr>
  );
}
