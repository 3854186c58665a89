// The banner for urgent alarms (safety or critical). Sticky, high contrast, announced assertively.
import { useState } from "react";
import { Link } from "react-router-dom";
import { getSession } from "../api/client";
import { formatTime } from "../lib/time";
import { canAct, type AlertOut } from "../pages/alarms/api";
import { errorMessage } from "../pages/shared/errors";
import { machineLabel, useMachineDirectory } from "../pages/shared/machines";
import { alarmTone, useSoundState } from "./alarmTone";
import { SpeakerIcon } from "./SpeakerIcon";

interface Props {
  alarms: AlertOut[]; // newest first
  onAcknowledge(id: string): Promise<void>;
  onDismiss(id: string): void;
}

export function SafetyBanner({ alarms, onAcknowledge, onDismiss }: Props) {
  const top = alarms[0];
  const dir = useMachineDirectory(alarms.length > 0, top?.machine_id);
  const sound = useSoundState();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mayAct = canAct(getSession()?.user.role);

  async function ack(id: string) {
    setBusy(id);
    setError(null);
    try {
      await onAcknowledge(id);
    } catch (e) {
      setError(`Could not acknowledge: ${errorMessage(e)}`);
    } finally {
      setBusy(null);
    }
  }

  // The live region is always mounted (so screen readers track it) and holds only the text;
  // the buttons sit beside it so pressing one does not re-announce the alarm.
  return (
    <section className={top ? "safety-banner" : "safety-banner is-empty"} aria-label="Urgent alarms" data-alert-id={top?.id}>
      <div className="safety-text" role="alert" aria-live="assertive" aria-atomic="true" data-testid="safety-banner">
        {top && (
          <>
            <strong className="safety-kind">
              <span aria-hidden="true">⚠ </span>
              {top.safety ? "SAFETY ALARM" : "CRITICAL ALARM"}
              {top.escalation_level > 0 && ` · ESCALATED ×${top.escalation_level}`}
            </strong>
            <span className="safety-message">{top.message}</span>
            <span className="safety-machine">
              on <strong>{machineLabel(dir, top.machine_id)}</strong> since {formatTime(top.first_ts, dir.tzFor(top.machine_id))}
            </span>
            {alarms.length > 1 && <span className="safety-more">+{alarms.length - 1} more urgent</span>}
          </>
        )}
      </div>
      {top && (
        <div className="safety-actions">
          {error && (
            <p className="safety-error" role="status">
              {error}
            </p>
          )}
          {/* every unacknowledged alarm, including ones whose condition has cleared meanwhile */}
          <Link className="btn btn-on-danger" to="/alarms?status=all&state=open">
            View
          </Link>
          {mayAct && (
            <button type="button" className="btn btn-on-danger btn-strong" disabled={busy === top.id} onClick={() => void ack(top.id)}>
              {busy === top.id ? "Acknowledging…" : "Acknowledge"}
            </button>
          )}
          {sound === "blocked" && (
            <button type="button" className="btn btn-on-danger" onClick={() => void alarmTone.unlock()}>
              <SpeakerIcon muted /> Click to enable sound
            </button>
          )}
          <button type="button" className="btn btn-on-danger" aria-label="Dismiss banner" onClick={() => onDismiss(top.id)}>
            <span aria-hidden="true">✕</span> Dismiss
          </button>
        </div>
      )}
    </section>
  );
}
