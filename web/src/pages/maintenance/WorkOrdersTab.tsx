// Work orders, newest first, filtered by status and machine; create one; move and delete them in the row.
// ?wo=<id> (linked from a recommendation) highlights that work order, loading it when the filter hides it.
import { useEffect, useMemo, useRef, useState } from "react";
import { getWorkOrder, listWorkOrders, WO_STATUSES, type User, type WorkOrder, type WorkOrderFilter, type WorkOrderStatus } from "./api";
import { WO_STATUS_TEXT } from "./format";
import { Empty, LoadError, Loading, Notice } from "./States";
import type { Basics } from "./useMaintenanceBasics";
import { useResource } from "./useResource";
import { WorkOrderForm } from "./WorkOrderForm";
import { WorkOrderRow } from "./WorkOrderRow";

interface Props {
  basics: Basics;
  canWrite: boolean;
  me: { id: string; name: string } | null;
  users: User[];
  focusId: string | null;
}

const COLUMNS = ["Work order", "Machine", "Priority", "Status", "Due", "Assignee", "Created"];

export function WorkOrdersTab({ basics, canWrite, me, users, focusId }: Props) {
  const [filter, setFilter] = useState<WorkOrderFilter>({ status: "", machineId: "" });
  const list = useResource(() => listWorkOrders(filter), `${filter.status}|${filter.machineId}`);
  const [linked, setLinked] = useState<WorkOrder | null>(null);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const newButton = useRef<HTMLButtonElement>(null);
  const focusCell = useRef<HTMLTableCellElement>(null);
  const focused = useRef<string | null>(null);

  // the linked work order, when the current filter does not list it
  const missing = !!focusId && list.data !== null && !list.data.some((w) => w.id === focusId);
  useEffect(() => {
    if (!missing || !focusId || linked?.id === focusId) return;
    let alive = true;
    getWorkOrder(focusId)
      .then((w) => alive && setLinked(w))
      .catch(() => {});
    return () => {
      alive = false;
    };
  }, [missing, focusId, linked?.id]);

  const rows = useMemo(() => {
    if (!list.data) return null;
    return linked && linked.id === focusId && !list.data.some((w) => w.id === linked.id) ? [linked, ...list.data] : list.data;
  }, [list.data, linked, focusId]);

  useEffect(() => {
    if (!focusId || focused.current === focusId || !rows?.some((w) => w.id === focusId)) return;
    focused.current = focusId;
    focusCell.current?.scrollIntoView?.({ block: "center" });
    focusCell.current?.focus();
  }, [rows, focusId]);

  const upsert = (w: WorkOrder) => {
    list.set((cur) => cur.map((x) => (x.id === w.id ? w : x)));
    if (linked?.id === w.id) setLinked(w);
  };

  return (
    <div className="mnt-tab-body">
      <div className="pg-toolbar">
        <h2>Work orders</h2>
        {canWrite && (
          <button ref={newButton} type="button" className="btn btn-primary" onClick={() => setCreating(true)} disabled={creating}>
            New work order
          </button>
        )}
      </div>
      {creating && (
        <div className="panel pg-card" role="region" aria-label="New work order">
          <h3>New work order</h3>
          <WorkOrderForm
            basics={basics}
            users={users}
            me={me}
            initialMachine={filter.machineId}
            onCancel={() => {
              setCreating(false);
              requestAnimationFrame(() => newButton.current?.focus());
            }}
            onCreated={(w) => {
              setCreating(false);
              setNotice(`Work order #${w.number} “${w.title}” created.`);
              if ((!filter.status || filter.status === w.status) && (!filter.machineId || filter.machineId === w.machine_id)) {
                list.set((cur) => [w, ...cur.filter((x) => x.id !== w.id)]);
              }
            }}
          />
        </div>
      )}
      <div className="pg-toolbar mnt-filters" role="group" aria-label="Filter work orders">
        <label className="mnt-filter">
          Status
          <select value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value as WorkOrderStatus | "" })}>
            <option value="">All statuses</option>
            {WO_STATUSES.map((s) => (
              <option key={s} value={s}>
                {WO_STATUS_TEXT[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="mnt-filter">
          Machine
          <select value={filter.machineId} onChange={(e) => setFilter({ ...filter, machineId: e.target.value })}>
            <option value="">All machines</option>
            {basics.machines.map((m) => (
              <option key={m.id} value={m.id}>
                {m.path}
              </option>
            ))}
          </select>
        </label>
      </div>
      {notice && <Notice>{notice}</Notice>}
      {list.error && <LoadError what="work orders" error={list.error} onRetry={list.reload} />}
      {rows === null && !list.error && <Loading what="work orders" />}
      {rows?.length === 0 && (
        <Empty title={filter.status || filter.machineId ? "No work orders match" : "No work orders yet"}>
          <p className="muted">
            {filter.status || filter.machineId
              ? "Try another status or machine."
              : `Work orders come from accepted recommendations, automatically from risk policies, or by hand${canWrite ? " (New work order)" : ""}.`}
          </p>
        </Empty>
      )}
      {!!rows?.length && (
        <div className="table-wrap">
          <table className="table mnt-table mnt-wo-table">
            <caption className="sr-only">Work orders, newest first</caption>
            <thead>
              <tr>
                {[...COLUMNS, ...(canWrite ? ["Actions"] : [])].map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((w) => (
                <WorkOrderRow
                  key={w.id}
                  wo={w}
                  basics={basics}
                  canWrite={canWrite}
                  selected={w.id === focusId}
                  titleRef={w.id === focusId ? focusCell : undefined}
                  onChanged={(next, verb) => {
                    upsert(next);
                    setNotice(`Work order #${next.number} ${verb}.`);
                  }}
                  onDeleted={(gone) => {
                    list.set((cur) => cur.filter((x) => x.id !== gone.id));
                    if (linked?.id === gone.id) setLinked(null);
                    setNotice(`Work order #${gone.number} deleted.`);
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!!rows?.length && <p className="muted small">Times in plant time; due dates are plant calendar days.</p>}
    </div>
  );
}
