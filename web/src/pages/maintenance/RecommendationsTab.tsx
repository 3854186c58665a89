// Maintenance recommendations, open ones first (then newest first), each with its work order.
import { useMemo, useState } from "react";
import { Link } from "react-router-dom";
import { listRecommendations, listWorkOrders, type Recommendation, type User, type WorkOrder } from "./api";
import { RecommendationCard, workOrderHref } from "./RecommendationCard";
import { Empty, LoadError, Loading, Notice } from "./States";
import type { Basics } from "./useMaintenanceBasics";
import { useResource } from "./useResource";

interface Props {
  basics: Basics;
  canWrite: boolean;
  me: { id: string; name: string } | null;
  users: User[];
  onShowModels(): void;
}

const openFirst = (a: Recommendation, b: Recommendation) =>
  Number(b.status === "open") - Number(a.status === "open") || b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id);

const ALL_WORK_ORDERS = { status: "", machineId: "" } as const;

export function RecommendationsTab({ basics, canWrite, me, users, onShowModels }: Props) {
  const recs = useResource(listRecommendations);
  const orders = useResource(() => listWorkOrders(ALL_WORK_ORDERS));
  const [notice, setNotice] = useState<{ text: string; wo?: WorkOrder } | null>(null);
  const sorted = useMemo(() => (recs.data ? [...recs.data].sort(openFirst) : null), [recs.data]);
  const byId = useMemo(() => new Map((orders.data ?? []).map((w) => [w.id, w])), [orders.data]);
  const open = sorted?.filter((r) => r.status === "open").length ?? 0;
  const hasActiveModel = basics.models?.some((m) => m.status === "active") ?? true;

  const replace = (r: Recommendation) => recs.set((cur) => cur.map((x) => (x.id === r.id ? r : x)));

  return (
    <div className="mnt-tab-body">
      <div className="pg-toolbar">
        <h2>Recommendations</h2>
        {sorted && (
          <span className="muted">
            {open} open of {sorted.length}
          </span>
        )}
      </div>
      <p className="muted small">
        Raised when a machine's score crosses its class's risk policy (failure probability or remaining life). Accepting opens a
        predictive work order; dismissing snoozes the machine for the policy's snooze time.
        {!canWrite && " Deciding needs an administrator, engineer or maintenance role."}
      </p>
      {notice && (
        <Notice>
          {notice.text} {notice.wo && <Link to={workOrderHref(notice.wo.id)}>Open work order #{notice.wo.number}</Link>}
        </Notice>
      )}
      {recs.error && <LoadError what="recommendations" error={recs.error} onRetry={recs.reload} />}
      {sorted === null && !recs.error && <Loading what="recommendations" />}
      {sorted?.length === 0 &&
        (hasActiveModel ? (
          <Empty title="No recommendations">
            <p className="muted">No machine has crossed its risk policy. Policies are set per machine class on the Models tab.</p>
          </Empty>
        ) : (
          <Empty title="No recommendations yet">
            <p className="muted">No model is active yet: train one on the Models tab and promote it; scores then raise recommendations.</p>
            <button type="button" className="btn" onClick={onShowModels}>
              Go to Models
            </button>
          </Empty>
        ))}
      {!!sorted?.length && (
        <ul className="mnt-recs" aria-label="Recommendations, open first">
          {sorted.map((r) => (
            <RecommendationCard
              key={r.id}
              rec={r}
              basics={basics}
              canWrite={canWrite}
              me={me}
              users={users}
              workOrder={r.work_order_id ? byId.get(r.work_order_id) : undefined}
              onAccepted={(next, wo) => {
                replace(next);
                orders.set((cur) => [wo, ...cur.filter((w) => w.id !== wo.id)]);
                setNotice({ text: `Recommendation for ${basics.machineName(r.machine_id)} accepted.`, wo });
              }}
              onDismissed={(next) => {
                replace(next);
                orders.reload(); // its automatic work order may have been cancelled
                setNotice({ text: `Recommendation for ${basics.machineName(r.machine_id)} dismissed.` });
              }}
              onStale={recs.reload}
            />
          ))}
        </ul>
      )}
    </div>
  );
}
