// One recommendation: the machine, why (the policy's triggers), the risk figures, its decision and work
// order; open ones can be accepted or dismissed by maintenance writers.
import { useRef, useState } from "react";
import { Link } from "react-router-dom";
import { formatDateTime } from "../../lib/time";
import { ApiProblem } from "../shared/ApiProblem";
import type { Recommendation, User, WorkOrder } from "./api";
import { AcceptForm, DismissForm } from "./DecisionForms";
import {
  formatProbability,
  formatRul,
  PRIORITY_TEXT,
  REC_STATUS_ICON,
  REC_STATUS_TEXT,
  reasonText,
  triggerText,
  WO_STATUS_TEXT,
} from "./format";
import { HealthBar } from "./HealthBits";
import type { Basics } from "./useMaintenanceBasics";

interface Props {
  rec: Recommendation;
  basics: Basics;
  canWrite: boolean;
  me: { id: string; name: string } | null;
  users: User[];
  workOrder: WorkOrder | undefined;
  onAccepted(rec: Recommendation, wo: WorkOrder): void;
  onDismissed(rec: Recommendation): void;
  onStale(): void;
}

export const workOrderHref = (id: string) => `?tab=work-orders&wo=${encodeURIComponent(id)}`;

export function RecommendationCard({ rec, basics, canWrite, me, users, workOrder, onAccepted, onDismissed, onStale }: Props) {
  const [mode, setMode] = useState<"none" | "accept" | "dismiss">("none");
  const [accepted, setAccepted] = useState<WorkOrder | null>(null);
  const [stale, setStale] = useState<{ error: unknown; action: string } | null>(null);
  const acceptButton = useRef<HTMLButtonElement>(null);
  const tz = basics.tzFor(rec.machine_id);
  const machine = basics.machineName(rec.machine_id);
  const wo = accepted ?? workOrder;

  function close() {
    setMode("none");
    requestAnimationFrame(() => acceptButton.current?.focus());
  }

  return (
    <li className={`panel mnt-rec mnt-rec-${rec.status}`} aria-labelledby={`rec-${rec.id}-title`} data-testid="recommendation">
      <div className="pg-card-head">
        <h3 id={`rec-${rec.id}-title`}>{machine}</h3>
        <span className={`badge mnt-rec-status mnt-rec-status-${rec.status}`}>
          <span aria-hidden="true">{REC_STATUS_ICON[rec.status]}</span> {REC_STATUS_TEXT[rec.status]}
        </span>
      </div>
      <p>{rec.message}</p>
      <p className="small">
        <strong>{reasonText(rec.reason)}</strong>
        {rec.triggers.length > 0 && <>: {rec.triggers.map(triggerText).join("; ")}</>}
      </p>
      <dl className="mnt-figures">
        <div>
          <dt>Health</dt>
          <dd>
            <HealthBar index={rec.health_index} />
          </dd>
        </div>
        <div>
          <dt>Remaining life</dt>
          <dd className="num">{formatRul(rec.rul_hours)}</dd>
        </div>
        <div>
          <dt>Failure probability</dt>
          <dd className="num">{formatProbability(rec.failure_probability)}</dd>
        </div>
        <div>
          <dt>Raised</dt>
          <dd>{formatDateTime(rec.created_at, tz)}</dd>
        </div>
        {rec.decided_at && (
          <div>
            <dt>{REC_STATUS_TEXT[rec.status]}</dt>
            <dd>
              {formatDateTime(rec.decided_at, tz)}
              {rec.decided_by && ` by ${basics.userName(rec.decided_by)}`}
            </dd>
          </div>
        )}
      </dl>
      {accepted && (
        <p className="pg-ok" role="status">
          Accepted: work order #{accepted.number} “{accepted.title}” is {WO_STATUS_TEXT[accepted.status].toLowerCase()},{" "}
          {PRIORITY_TEXT[accepted.priority].toLowerCase()} priority{accepted.due_date ? `, due ${accepted.due_date}` : ""}.
        </p>
      )}
      {stale && <ApiProblem error={stale.error} action={stale.action} />}
      {rec.work_order_id && (
        <p className="small">
          <Link to={workOrderHref(rec.work_order_id)}>
            {wo ? `Work order #${wo.number} (${WO_STATUS_TEXT[wo.status]})` : "Open its work order"}
          </Link>
        </p>
      )}
      {canWrite && rec.status === "open" && mode === "none" && (
        <div className="pg-actions">
          <button ref={acceptButton} type="button" className="btn btn-primary" onClick={() => setMode("accept")} aria-label={`Accept recommendation for ${machine}`}>
            Accept
          </button>
          <button type="button" className="btn" onClick={() => setMode("dismiss")} aria-label={`Dismiss recommendation for ${machine}`}>
            Dismiss
          </button>
        </div>
      )}
      {rec.status === "open" && mode === "accept" && (
        <AcceptForm
          rec={rec}
          users={users}
          me={me}
          onCancel={close}
          onStale={(error) => {
            setStale({ error, action: "Could not accept" });
            setMode("none");
            onStale();
          }}
          onAccepted={(w) => {
            setAccepted(w);
            setMode("none");
            onAccepted({ ...rec, status: "accepted", work_order_id: w.id, decided_by: me?.id ?? null, decided_at: new Date().toISOString() }, w);
          }}
        />
      )}
      {rec.status === "open" && mode === "dismiss" && (
        <DismissForm
          rec={rec}
          onCancel={close}
          onStale={(error) => {
            setStale({ error, action: "Could not dismiss" });
            setMode("none");
            onStale();
          }}
          onDismissed={(r) => {
            setMode("none");
            onDismissed(r);
          }}
        />
      )}
    </li>
  );
}
