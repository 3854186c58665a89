import { useRef, useState } from "react";
import { SafetyMarker, SeverityBadge } from "../../components/SeverityBadge";
import { formatDateTime } from "../../lib/time";
import { errorMessage } from "../shared/errors";
import { acknowledgeAlert, assignAlert, resolveAlert, type AlertOut } from "./api";

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

const STATE_TEXT: Record<AlertOut["state"], string> = { open: "Open", acknowledged: "Acknowledged", resolved: "Resolved" };

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
      className={`alarm-row state-${a.state}${a.safety ? " is-safety" : ""}${expanded ? " is-expanded" : ""}`}
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
      <td className="col-message">{a.message}</td>
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
      <td data-label="State">
        <span className={`state-pill state-${a.state}`}>{STATE_TEXT[a.state] ?? a.state}</span>
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
