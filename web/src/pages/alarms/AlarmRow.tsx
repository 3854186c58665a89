import { useRef, useState } from "react";
import { SafetyMarker, SeverityBadge } from "../../components/SeverityBadge";
import { formatDateTime } from "../../lib/time";
import { errorMessage } from "../shared/errors";
import { acknowledgeAlert, alarmStatus, assignAlert, resolveAlert, STATUS_TEXT, type AlertOut } from "./api";

export interface RowContext {
  myId: string | undefined;
  mayAct: boolean;
  machineName(id: string): string;
  tzFor(machineId: string): string;
  userName(id: string | null): string;
}

/** Date over time, to keep the column narrow; the zone is in the tooltip. */
function DateTime({ ts, tz }: { ts: string; tz: string }) {
  const [d, t] = formatDateTime(ts, tz).split(" ");
  return (
    <time dateTime={ts} title={tz} className="date-time">
      <span>{d}</span> <span>{t}</span>
    </time>
  );
}

/** Lifecycle status as text and colour (never colour alone); a person's "resolved" is noted under it. */
export function StatusPill({ alert: a }: { alert: AlertOut }) {
  const status = alarmStatus(a);
  return (
    <span className={`alarm-status status-${status}`} data-testid="alarm-status">
      <span aria-hidden="true" className="status-dot" />
      <span>
        {STATUS_TEXT[status] ?? status}
        {a.state === "resolved" && <span className="status-note"> · resolved</span>}
      </span>
    </span>
  );
}

/** Escalation and flood-control markers shown with the message. */
export function LifecycleBadges({ alert: a }: { alert: AlertOut }) {
  if (a.escalation_level <= 0 && a.suppressed <= 0) return null;
  return (
    <span className="lifecycle-badges">
      {a.escalation_level > 0 && (
        <span className="badge escalated" title="Escalated: not acknowledged in time">
          <span aria-hidden="true">↑</span> Escalated ×{a.escalation_level}
        </span>
      )}
      {a.suppressed > 0 && (
        <span className="badge flood" title="Flood control: further alarms of this rule within the hour are grouped into this one">
          {a.suppressed} grouped (flood control)
        </span>
      )}
    </span>
  );
}

interface Props {
  alert: AlertOut;
  ctx: RowContext;
  expanded: boolean;
  onToggle(): void;
  onChanged(a: AlertOut): void;
}

export function AlarmRow({ alert: a, ctx, expanded, onToggle, onChanged }: Props) {
  const [busy, setBusy] = useState<string | null>(null);
  const actionsRef = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const tz = ctx.tzFor(a.machine_id);
  const detailsId = `alarm-details-${a.id}`;

  async function run(label: string, fn: () => Promise<AlertOut>) {
    setBusy(label);
    setError(null);
    try {
      onChanged(await fn());
      // The pressed button may be gone now (e.g. Acknowledge): keep keyboard focus in this row.
      requestAnimationFrame(() => {
        if (!document.activeElement || document.activeElement === document.body) {
          actionsRef.current?.querySelector<HTMLButtonElement>("button:not(:disabled)")?.focus();
        }
      });
    } catch (e) {
      setError(`${label} failed: ${errorMessage(e)}`);
    } finally {
      setBusy(null);
    }
  }

  const mine = ctx.myId !== undefined && a.assigned_to === ctx.myId;
  return (
    <tr
      data-testid="alarm-row"
      data-alert-id={a.id}
      data-state={a.state}
      data-status={alarmStatus(a)}
      className={`alarm-row state-${a.state} status-${alarmStatus(a)}${a.safety ? " is-safety" : ""}${expanded ? " is-expanded" : ""}`}
    >
      {/* data-label: the column name shown above each value when rows stack on tablets */}
      <td data-label="Severity">
        <SeverityBadge severity={a.severity} />
      </td>
      <td data-label="Safety">
        {a.safety ? (
          <SafetyMarker />
        ) : (
          <>
            <span aria-hidden="true" className="muted">
              —
            </span>
            <span className="sr-only">No</span>
          </>
        )}
      </td>
      <td className="col-message">
        <span className="message-text">{a.message}</span>
        <LifecycleBadges alert={a} />
      </td>
      <td data-label="Machine">{ctx.machineName(a.machine_id)}</td>
      <td data-label="Count" className="num col-opt">
        {a.count}
      </td>
      <td data-label="First seen" className="col-opt">
        <DateTime ts={a.first_ts} tz={tz} />
      </td>
      <td data-label="Last seen">
        <DateTime ts={a.last_ts} tz={tz} />
      </td>
      <td data-label="Status">
        <StatusPill alert={a} />
      </td>
      <td data-label="Assignee">{a.assigned_to ? (mine ? "You" : ctx.userName(a.assigned_to)) : <span className="muted">Unassigned</span>}</td>
      <td className="col-actions">
        <div className="row-actions" ref={actionsRef}>
          {ctx.mayAct && a.state === "open" && (
            <button type="button" className="btn btn-primary btn-small" disabled={busy !== null} onClick={() => void run("Acknowledge", () => acknowledgeAlert(a.id))}>
              Acknowledge
            </button>
          )}
          {ctx.mayAct && a.state !== "resolved" && (
            <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void run("Resolve", () => resolveAlert(a.id))}>
              Resolve
            </button>
          )}
          {ctx.mayAct && a.state !== "resolved" && !mine && ctx.myId && (
            <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void run("Assign", () => assignAlert(a.id, ctx.myId ?? null))}>
              Assign to me
            </button>
          )}
          {ctx.mayAct && a.assigned_to && (
            <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void run("Unassign", () => assignAlert(a.id, null))}>
              Unassign
            </button>
          )}
          <button type="button" className="btn btn-small" aria-expanded={expanded} aria-controls={expanded ? detailsId : undefined} onClick={onToggle}>
            {expanded ? "Hide details" : "Details"}
          </button>
        </div>
        {busy && (
          <span className="sr-only" role="status">
            {busy}…
          </span>
        )}
        {error && (
          <p className="row-error" role="alert">
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}
