// One rule in the list: summaries, the enabled switch (a new version, guarded by expected_version) and
// delete with confirmation.
import { useRef, useState } from "react";
import { Link } from "react-router-dom";
import { ApiError } from "../../api/client";
import { SafetyMarker, SeverityBadge } from "../../components/SeverityBadge";
import { errorMessage } from "../shared/errors";
import { bodyOf, deleteRule, updateRule, type Rule } from "./api";
import { conditionSummary, scopeSummary, type Names } from "./summary";

interface Props {
  rule: Rule;
  names: Names;
  canWrite: boolean;
  selected: boolean;
  onEdit(r: Rule): void;
  onHistory(r: Rule): void;
  onChanged(r: Rule): void;
  onDeleted(id: string): void;
  onReload(): void;
}

export function RuleRow({ rule: r, names, canWrite, selected, onEdit, onHistory, onChanged, onDeleted, onReload }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const deleteRef = useRef<HTMLButtonElement>(null);

  function cancelDelete() {
    setConfirming(false);
    requestAnimationFrame(() => deleteRef.current?.focus());
  }

  async function toggle(enabled: boolean) {
    setBusy(true);
    setError(null);
    setStale(false);
    try {
      onChanged(await updateRule(r.id, { ...bodyOf(r), enabled }, r.version));
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        setStale(true);
        setError("This rule was changed by someone else since the list loaded.");
      } else setError(`Could not ${enabled ? "enable" : "disable"}: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await deleteRule(r.id);
      onDeleted(r.id);
    } catch (e) {
      setError(`Could not delete: ${errorMessage(e)}`);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  }

  return (
    <tr data-testid="rule-row" data-rule-id={r.id} className={`rule-row${r.enabled ? "" : " is-disabled"}${selected ? " is-selected" : ""}`}>
      <th scope="row" className="col-name">
        {r.name}
        {r.message && <span className="muted small rule-message">“{r.message}”</span>}
      </th>
      <td data-label="Condition" className="col-condition">
        {conditionSummary(r.condition)}
      </td>
      <td data-label="Scope">{scopeSummary(r.scope, names)}</td>
      <td data-label="Severity">
        <SeverityBadge severity={r.severity} />
        {r.safety && (
          <>
            {" "}
            <SafetyMarker />
          </>
        )}
      </td>
      <td data-label="Enabled">
        {canWrite ? (
          <label className="rule-switch">
            <input
              type="checkbox"
              role="switch"
              checked={r.enabled}
              disabled={busy}
              aria-label={`Enabled: ${r.name}`}
              onChange={(e) => void toggle(e.target.checked)}
            />
            <span aria-hidden="true">{r.enabled ? "On" : "Off"}</span>
          </label>
        ) : (
          <span className={r.enabled ? "pg-ok" : "muted"}>{r.enabled ? "Enabled" : "Disabled"}</span>
        )}
      </td>
      <td data-label="Version" className="num">
        v{r.version}
      </td>
      <td className="col-actions">
        <div className="row-actions">
          <button type="button" className="btn btn-small" aria-label={`History of ${r.name}`} onClick={() => onHistory(r)}>
            History
          </button>
          <Link className="btn btn-small" to={`/alarms?status=all&rule=${encodeURIComponent(r.id)}`} aria-label={`Alarms of ${r.name}`}>
            Alarms
          </Link>
          {canWrite && !confirming && (
            <>
              <button type="button" className="btn btn-small" aria-label={`Edit ${r.name}`} onClick={() => onEdit(r)}>
                Edit
              </button>
              <button
                ref={deleteRef}
                type="button"
                className="btn btn-small btn-danger"
                aria-label={`Delete ${r.name}`}
                onClick={() => setConfirming(true)}
              >
                Delete
              </button>
            </>
          )}
        </div>
        {confirming && (
          <div className="pg-actions rule-confirm" role="group" aria-label={`Confirm deleting ${r.name}`}>
            <span>Delete “{r.name}”? It stops raising alarms; its history is kept.</span>
            <button type="button" className="btn btn-small btn-danger" disabled={busy} onClick={() => void remove()}>
              {busy ? "Deleting…" : "Yes, delete"}
            </button>
            <button type="button" className="btn btn-small" autoFocus onClick={cancelDelete}>
              Cancel
            </button>
          </div>
        )}
        {error && (
          <p className="form-error rule-row-error" role="alert">
            {error}{" "}
            {stale && (
              <button type="button" className="btn btn-small" onClick={onReload}>
                Reload rules
              </button>
            )}
          </p>
        )}
      </td>
    </tr>
  );
}
