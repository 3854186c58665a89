import { useState } from "react";
import { Link } from "react-router-dom";
import type { Schemas } from "../../api/client";
import { formatDateTime } from "../../lib/time";
import { errorMessage } from "../shared/errors";
import { alarmStatus, assignAlert, STATUS_TEXT, type AlertOut } from "./api";
import type { RowContext } from "./AlarmRow";
import { Timeline } from "./Timeline";

function num(v: number | null): string {
  return v === null || v === undefined ? "—" : String(v);
}

/** What raised it: a sensor limit, a rule (with its version, linked to the rule's history), or flood control. */
function RuleRef({ alert: a }: { alert: AlertOut }) {
  if (!a.rule_id) return <>{a.rule === "high_limit" ? "Sensor high limit" : a.rule === "low_limit" ? "Sensor low limit" : a.rule}</>;
  const flood = a.rule.startsWith("flood:");
  return (
    <>
      {flood ? "Flood control of " : ""}
      <Link to={`/rules?rule=${encodeURIComponent(a.rule_id)}`}>
        rule {a.rule_id.slice(0, 8)}
        {a.rule_version !== null ? ` v${a.rule_version}` : ""}
      </Link>
    </>
  );
}

function source(a: AlertOut): string {
  if (a.rule.startsWith("flood:")) return "Rule (flood control)";
  return a.sensor_id ? "Sensor" : "Machine (machine-level rule)";
}

/** Assign to any active user (admins only: the user list needs users:read). */
function AssignPicker({ alert, users, onChanged }: { alert: AlertOut; users: Schemas["UserOut"][]; onChanged(a: AlertOut): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = `assign-${alert.id}`;
  async function change(userId: string) {
    setBusy(true);
    setError(null);
    try {
      onChanged(await assignAlert(alert.id, userId || null));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="field assign-picker">
      <label htmlFor={id}>Assignee</label>
      <select id={id} value={alert.assigned_to ?? ""} disabled={busy} onChange={(e) => void change(e.target.value)}>
        <option value="">Unassigned</option>
        {users
          .filter((u) => u.active || u.id === alert.assigned_to)
          .map((u) => (
            <option key={u.id} value={u.id}>
              {u.full_name || u.email} ({u.role})
            </option>
          ))}
      </select>
      {error && (
        <p role="alert" className="form-error">
          Could not assign: {error}
        </p>
      )}
    </div>
  );
}

interface Props {
  alert: AlertOut;
  ctx: RowContext;
  users: Schemas["UserOut"][] | null; // null when the caller may not list users
  onChanged(a: AlertOut): void;
}

export function AlarmDetails({ alert: a, ctx, users, onChanged }: Props) {
  const tz = ctx.tzFor(a.machine_id);
  return (
    <div className="alarm-details" id={`alarm-details-${a.id}`} data-testid="alarm-details">
      <dl className="detail-grid">
        <div>
          <dt>Status</dt>
          <dd>{STATUS_TEXT[alarmStatus(a)]}</dd>
        </div>
        <div>
          <dt>Rule</dt>
          <dd>
            <RuleRef alert={a} />
          </dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd>{source(a)}</dd>
        </div>
        <div>
          <dt>Threshold</dt>
          <dd>{num(a.threshold)}</dd>
        </div>
        <div>
          <dt>Last value</dt>
          <dd>{num(a.last_value)}</dd>
        </div>
        <div>
          <dt>Peak value</dt>
          <dd>{num(a.peak_value)}</dd>
        </div>
        <div>
          <dt>Occurrences</dt>
          <dd>{a.count}</dd>
        </div>
        <div>
          <dt>First seen</dt>
          <dd>{formatDateTime(a.first_ts, tz)}</dd>
        </div>
        <div>
          <dt>Acknowledged</dt>
          <dd>{a.acknowledged_at ? `${formatDateTime(a.acknowledged_at, tz)} by ${ctx.userName(a.acknowledged_by)}` : "—"}</dd>
        </div>
        <div>
          <dt>Cleared</dt>
          <dd>{a.cleared_at ? formatDateTime(a.cleared_at, tz) : "—"}</dd>
        </div>
        <div>
          <dt>Escalation</dt>
          <dd>{a.escalation_level > 0 ? `level ${a.escalation_level}${a.escalated_at ? `, ${formatDateTime(a.escalated_at, tz)}` : ""}` : "—"}</dd>
        </div>
        {a.suppressed > 0 && (
          <div>
            <dt>Flood control</dt>
            <dd>{a.suppressed} alarms grouped here</dd>
          </div>
        )}
        <div>
          <dt>Resolved</dt>
          <dd>{a.resolved_at ? `${formatDateTime(a.resolved_at, tz)} by ${ctx.userName(a.resolved_by)}` : "—"}</dd>
        </div>
        <div>
          <dt>Time zone</dt>
          <dd>{tz}</dd>
        </div>
      </dl>
      {users && ctx.mayAct && <AssignPicker alert={a} users={users} onChanged={onChanged} />}
      <Timeline alert={a} tz={tz} mayPost={ctx.mayAct} userName={ctx.userName} />
    </div>
  );
}
