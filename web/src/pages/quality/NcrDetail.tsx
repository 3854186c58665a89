// One NCR: its facts, containment, disposition (and MRB decision), status moves, linked CAPAs and history.
// Every change sends the version shown; a 409 (someone else changed it, or the step is not allowed now) is
// explained with a Reload.
import { useEffect, useId, useRef } from "react";
import { Link } from "react-router-dom";
import { formatDateTime } from "../../lib/time";
import { localDate } from "../../lib/zoned";
import { getNcr, ncrEvents, transitionNcr, type Ncr, type NcrStatus } from "./api";
import { History } from "./History";
import { Containment, DispositionForm, MrbPanel, TransitionBar } from "./NcrActions";
import { ageDays, ageText, dispositionLabel, fmtQty, ncrStatusLabel, shortId } from "./format";
import { ActionError, LoadError, Loading } from "./States";
import { useAction } from "./useAction";
import type { QualityBasics } from "./useQualityBasics";
import { useResource } from "./useResource";

interface Props {
  id: string;
  basics: QualityBasics;
  canWrite: boolean;
  canApproveMrb: boolean;
  now: number;
  closeHref: string;
  capaHref(id: string): string;
  capaName(id: string): string;
  newCapaHref: string;
  onChanged(n: Ncr): void;
}

function List({ values }: { values: string[] }) {
  if (values.length === 0) return <span className="muted">—</span>;
  const shown = values.slice(0, 20);
  return (
    <span className="pg-mono">
      {shown.join(", ")}
      {values.length > shown.length && <span className="muted"> and {values.length - shown.length} more</span>}
    </span>
  );
}

export function NcrDetail({ id, basics, canWrite, canApproveMrb, now, closeHref, capaHref, capaName, newCapaHref, onChanged }: Props) {
  const ncr = useResource(() => getNcr(id), id);
  const events = useResource(() => ncrEvents(id), id);
  const action = useAction();
  const heading = useRef<HTMLHeadingElement>(null);
  const hid = useId();
  const { tz, userName } = basics;

  const { clear } = action;
  useEffect(() => clear(), [id, clear]);
  useEffect(() => {
    if (ncr.data?.id === id) heading.current?.focus();
  }, [ncr.data?.id, id]);

  function reload() {
    action.clear();
    ncr.reload();
    events.reload();
  }

  async function send(what: string, fn: (version: number) => Promise<Ncr>): Promise<boolean> {
    const cur = ncr.data;
    if (!cur) return false;
    const out = await action.run(what, () => fn(cur.version));
    if (!out) return false;
    ncr.set(out);
    events.reload();
    onChanged(out);
    return true;
  }

  if (ncr.error) return <LoadError what="the NCR" error={ncr.error} onRetry={ncr.reload} />;
  if (!ncr.data) return <Loading what="the NCR" />;
  const n = ncr.data;
  const days = ageDays(n.detected_at, now);
  const open = n.status === "open" || n.status === "contained";

  return (
    <article className="panel qa-detail" aria-labelledby={`${hid}-h`} data-testid="ncr-detail">
      <div className="pg-card-head">
        <h2 id={`${hid}-h`} ref={heading} tabIndex={-1}>
          <span className="pg-mono">{n.ncr_number}</span> {n.title}
        </h2>
        <Link to={closeHref} className="btn btn-small">
          Close details
        </Link>
      </div>
      <p>
        <span className={`badge qa-status qa-status-${n.status}`}>{ncrStatusLabel(n.status)}</span>{" "}
        <span className="muted small">
          version {n.version} · detected {formatDateTime(n.detected_at, tz)} ({ageText(days)} ago)
        </span>
      </p>
      <dl className="pg-facts">
        <dt>Item</dt>
        <dd className="pg-mono">{basics.itemName(n.item_id)}</dd>
        <dt>Quantity</dt>
        <dd>{fmtQty(n.quantity)}</dd>
        <dt>Lots</dt>
        <dd>
          <List values={n.lots} />
        </dd>
        <dt>Serials</dt>
        <dd>
          <List values={n.serials} />
        </dd>
        <dt>Work order</dt>
        <dd>{basics.workOrderName(n.work_order_id)}</dd>
        <dt>Supplier</dt>
        <dd>{basics.supplierName(n.supplier_id)}</dd>
        {n.inspection_id && (
          <>
            <dt>Inspection</dt>
            <dd className="pg-mono">{shortId(n.inspection_id)}</dd>
          </>
        )}
        {n.alert_ids.length > 0 && (
          <>
            <dt>Alarms</dt>
            <dd className="pg-mono">
              {n.alert_ids.map(shortId).join(", ")}
            </dd>
          </>
        )}
        <dt>Raised by</dt>
        <dd>{userName(n.created_by)}</dd>
        {n.disposition && (
          <>
            <dt>Disposition</dt>
            <dd>
              {dispositionLabel(n.disposition)} of {fmtQty(n.disposition_quantity)}
              {n.dispositioned_at && ` · ${formatDateTime(n.dispositioned_at, tz)} by ${userName(n.dispositioned_by)}`}
              {n.disposition_notes && ` · “${n.disposition_notes}”`}
            </dd>
          </>
        )}
        {n.mrb_required && (
          <>
            <dt>MRB</dt>
            <dd>{n.mrb_approved_at ? `Approved ${formatDateTime(n.mrb_approved_at, tz)} by ${userName(n.mrb_approved_by)}` : "Approval required"}</dd>
          </>
        )}
        <dt>CAPAs</dt>
        <dd>
          {n.capa_ids.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            n.capa_ids.map((c, i) => (
              <span key={c}>
                {i > 0 && ", "}
                <Link to={capaHref(c)}>{capaName(c)}</Link>
              </span>
            ))
          )}
          {canWrite && (
            <>
              {" "}
              <Link to={newCapaHref} className="btn btn-small">
                Open a CAPA for this NCR
              </Link>
            </>
          )}
        </dd>
      </dl>
      {n.description && <p className="qa-description">{n.description}</p>}

      <ActionError error={action.error} action={action.failed} onReload={reload} label={ncrStatusLabel} />
      {canWrite && (
        <TransitionBar
          ncr={n}
          busy={action.busy}
          onMove={(to: NcrStatus, comment) => send(`Could not move ${n.ncr_number} to ${ncrStatusLabel(to)}`, (v) => transitionNcr(n.id, { to, comment, expected_version: v }))}
        />
      )}
      {!canWrite && <p className="muted small">You can read this NCR; changing it needs an administrator, engineer or quality role.</p>}
      <Containment ncr={n} canEdit={canWrite} today={localDate(now, tz)} busy={action.busy} send={send} />
      {canWrite && open && <DispositionForm ncr={n} busy={action.busy} send={send} />}
      {n.status === "pending_mrb" && <MrbPanel ncr={n} canApprove={canApproveMrb} busy={action.busy} send={send} />}
      <History events={events} tz={tz} userName={userName} label={ncrStatusLabel} headingId={`${hid}-hist`} />
    </article>
  );
}
