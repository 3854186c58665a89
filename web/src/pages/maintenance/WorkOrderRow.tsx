// One work order: what, where, priority, status, due date and assignee; status moves (open → in progress →
// done, or cancelled) and deleting one nobody worked on. The API's 409/422 problems show in the row.
import { useState, type Ref } from "react";
import { formatDateTime } from "../../lib/time";
import { localDate } from "../../lib/zoned";
import { ApiProblem } from "../shared/ApiProblem";
import { ConfirmButton } from "../shared/ConfirmButton";
import { deleteWorkOrder, patchWorkOrder, TRANSITIONS, type WorkOrder, type WorkOrderStatus } from "./api";
import { KIND_TEXT, PRIORITY_ICON, PRIORITY_TEXT, reasonText, TRANSITION_TEXT, WO_STATUS_ICON, WO_STATUS_TEXT } from "./format";
import type { Basics } from "./useMaintenanceBasics";

interface Props {
  wo: WorkOrder;
  basics: Basics;
  canWrite: boolean;
  selected: boolean;
  onChanged(wo: WorkOrder, verb: string): void;
  onDeleted(wo: WorkOrder): void;
  titleRef?: Ref<HTMLTableCellElement>;
}

const VERB: Record<WorkOrderStatus, string> = { open: "reopened", in_progress: "started", done: "marked done", cancelled: "cancelled" };

/** Open or cancelled and never started: the API deletes it; everything else is the record. */
export const deletable = (wo: WorkOrder) => wo.status === "cancelled" || (wo.status === "open" && wo.started_at === null);

export function WorkOrderRow({ wo, basics, canWrite, selected, onChanged, onDeleted, titleRef }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ action: string; error: unknown } | null>(null);
  const tz = basics.tzFor(wo.machine_id);
  const subject = `work order #${wo.number}`;
  const active = wo.status === "open" || wo.status === "in_progress";
  const overdue = active && wo.due_date !== null && wo.due_date < localDate(Date.now(), tz);

  async function move(to: WorkOrderStatus) {
    setBusy(true);
    setError(null);
    try {
      onChanged(await patchWorkOrder(wo.id, { status: to }), VERB[to]);
    } catch (e) {
      setError({ action: `Could not ${TRANSITION_TEXT[to].toLowerCase()} ${subject}`, error: e });
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setError(null);
    try {
      await deleteWorkOrder(wo.id);
      onDeleted(wo);
    } catch (e) {
      setError({ action: `Could not delete ${subject}`, error: e });
    }
  }

  return (
    <tr className={`mnt-row mnt-wo-row${selected ? " is-selected" : ""}${active ? "" : " is-closed"}`} data-testid="work-order-row" aria-current={selected ? "true" : undefined}>
      <th scope="row" className="mnt-col-title" ref={titleRef} tabIndex={selected ? -1 : undefined}>
        <span className="num">#{wo.number}</span> {wo.title}
        <span className="muted small mnt-sub">
          {KIND_TEXT[wo.kind]}
          {wo.reason && ` · ${reasonText(wo.reason)}`}
        </span>
        {wo.description && <span className="small mnt-sub mnt-desc">{wo.description}</span>}
      </th>
      <td data-label="Machine">{basics.machineName(wo.machine_id)}</td>
      <td data-label="Priority">
        <span className={`mnt-prio mnt-prio-${wo.priority}`}>
          <span aria-hidden="true">{PRIORITY_ICON[wo.priority]}</span> {PRIORITY_TEXT[wo.priority]}
        </span>
      </td>
      <td data-label="Status">
        <span className={`mnt-status mnt-status-${wo.status}`}>
          <span aria-hidden="true">{WO_STATUS_ICON[wo.status]}</span> {WO_STATUS_TEXT[wo.status]}
        </span>
        {wo.completed_at && <span className="muted small mnt-sub">{formatDateTime(wo.completed_at, tz)}</span>}
      </td>
      <td data-label="Due" className="nowrap">
        {wo.due_date ?? "—"}
        {overdue && (
          <span className="mnt-overdue">
            {" "}
            <span aria-hidden="true">⚠</span> overdue
          </span>
        )}
      </td>
      <td data-label="Assignee">{wo.assigned_to ? basics.userName(wo.assigned_to) : <span className="muted">Unassigned</span>}</td>
      <td data-label="Created" className="nowrap">
        {formatDateTime(wo.created_at, tz)}
        {wo.failed_at && <span className="small mnt-sub">Failed {formatDateTime(wo.failed_at, tz)}</span>}
      </td>
      {canWrite && (
        <td data-label="Actions" className={`mnt-col-actions${TRANSITIONS[wo.status].length || deletable(wo) || error ? "" : " is-empty"}`}>
          <div className="pg-actions">
            {TRANSITIONS[wo.status].map((to) => (
              <button
                key={to}
                type="button"
                className={`btn btn-small${to === "done" ? " btn-primary" : ""}`}
                disabled={busy}
                onClick={() => move(to)}
                aria-label={`${TRANSITION_TEXT[to]} ${subject}`}
              >
                {TRANSITION_TEXT[to]}
              </button>
            ))}
            {deletable(wo) && <ConfirmButton label="Delete" subject={subject} onConfirm={remove} />}
          </div>
          {error && <ApiProblem error={error.error} action={error.action} />}
        </td>
      )}
    </tr>
  );
}
