// The NCR's workflow forms: status moves the API allows, containment actions, the disposition, and the MRB
// decision (quality role only). Each sends the NCR's version; the parent shows errors and reloads.
import { useId, useState, type FormEvent } from "react";
import { dispositionNcr, mrbNcr, patchNcr, type ContainmentAction, type Disposition, type Ncr, type NcrStatus } from "./api";
import { DISPOSITIONS, NCR_STATUS_LABEL, NCR_TRANSITIONS, dispositionLabel, fmtQty, isNcrStatus, isOverdue } from "./format";

type Send = (what: string, fn: (version: number) => Promise<Ncr>) => Promise<boolean>;

const MOVE_LABEL: Partial<Record<NcrStatus, string>> = {
  contained: "Mark contained",
  closed: "Close NCR",
  cancelled: "Cancel NCR",
};

export function TransitionBar({ ncr, busy, onMove }: { ncr: Ncr; busy: boolean; onMove(to: NcrStatus, comment: string): Promise<boolean> }) {
  const [comment, setComment] = useState("");
  const [confirmCancel, setConfirmCancel] = useState(false);
  const id = useId();
  const moves = isNcrStatus(ncr.status) ? NCR_TRANSITIONS[ncr.status] : [];
  if (moves.length === 0) return null;
  async function move(to: NcrStatus) {
    if (await onMove(to, comment.trim())) {
      setComment("");
      setConfirmCancel(false);
    }
  }
  return (
    <div className="qa-transitions" role="group" aria-label="Status">
      <label htmlFor={`${id}-c`}>Comment for the status change (optional)</label>
      <input id={`${id}-c`} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={4000} />
      <div className="pg-actions">
        {moves
          .filter((m) => m !== "cancelled")
          .map((m) => (
            <button key={m} type="button" className="btn btn-primary btn-small" disabled={busy} onClick={() => void move(m)}>
              {MOVE_LABEL[m] ?? `Move to ${NCR_STATUS_LABEL[m]}`}
            </button>
          ))}
        {moves.includes("cancelled") &&
          (confirmCancel ? (
            <span className="pg-actions" role="group" aria-label="Confirm cancelling">
              <span>Cancel {ncr.ncr_number}? It cannot be reopened.</span>
              <button type="button" className="btn btn-small btn-danger" disabled={busy} onClick={() => void move("cancelled")}>
                Yes, cancel NCR
              </button>
              <button type="button" className="btn btn-small" onClick={() => setConfirmCancel(false)}>
                Keep it
              </button>
            </span>
          ) : (
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => setConfirmCancel(true)}>
              Cancel NCR…
            </button>
          ))}
      </div>
      {ncr.status === "open" || ncr.status === "contained" ? (
        <p className="muted small">Dispositioning is done with the disposition form below.</p>
      ) : null}
    </div>
  );
}

function asContainment(raw: Ncr["containment"]): ContainmentAction[] {
  return raw.map((c) => ({
    action: String(c.action ?? ""),
    owner: String(c.owner ?? ""),
    due_date: typeof c.due_date === "string" ? c.due_date : null,
    done: c.done === true,
  }));
}

export function Containment({ ncr, canEdit, today, busy, send }: { ncr: Ncr; canEdit: boolean; today: string; busy: boolean; send: Send }) {
  const actions = asContainment(ncr.containment);
  const [action, setAction] = useState("");
  const [owner, setOwner] = useState("");
  const [due, setDue] = useState("");
  const id = useId();
  const editable = canEdit && ncr.status !== "closed" && ncr.status !== "cancelled";

  function save(next: ContainmentAction[], what: string) {
    return send(what, (version) => patchNcr(ncr.id, { expected_version: version, containment: next }));
  }
  async function add(e: FormEvent) {
    e.preventDefault();
    if (!action.trim()) return;
    const ok = await save([...actions, { action: action.trim(), owner: owner.trim(), due_date: due || null, done: false }], "Could not add the containment action");
    if (ok) {
      setAction("");
      setOwner("");
      setDue("");
    }
  }
  return (
    <section className="qa-section" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Containment</h3>
      {actions.length === 0 ? (
        <p className="pg-empty">No containment actions recorded.</p>
      ) : (
        <ul className="qa-actions-list">
          {actions.map((a, i) => {
            const overdue = isOverdue(a.due_date, a.done, today);
            return (
              <li key={i} className={overdue ? "qa-overdue" : undefined}>
                {editable ? (
                  <label className="pg-check qa-check">
                    <input
                      type="checkbox"
                      checked={a.done}
                      disabled={busy}
                      onChange={(e) => void save(actions.map((x, j) => (j === i ? { ...x, done: e.target.checked } : x)), "Could not update the containment action")}
                    />
                    {a.action}
                  </label>
                ) : (
                  <span>
                    {a.done ? "✓ " : ""}
                    {a.action}
                  </span>
                )}
                <span className="muted small">
                  {a.owner ? ` · ${a.owner}` : ""}
                  {a.due_date ? ` · due ${a.due_date}` : ""}
                  {a.done ? " · done" : ""}
                </span>
                {overdue && <span className="badge qa-badge-overdue">Overdue</span>}
              </li>
            );
          })}
        </ul>
      )}
      {editable && (
        <form className="pg-inline-form qa-inline-wide" aria-label="Add a containment action" onSubmit={(e) => void add(e)}>
          <label>
            Action
            <input value={action} onChange={(e) => setAction(e.target.value)} required maxLength={2000} />
          </label>
          <label>
            Owner
            <input value={owner} onChange={(e) => setOwner(e.target.value)} maxLength={200} />
          </label>
          <label>
            Due
            <input type="date" value={due} onChange={(e) => setDue(e.target.value)} />
          </label>
          <button type="submit" className="btn btn-small" disabled={busy || !action.trim()}>
            Add action
          </button>
        </form>
      )}
    </section>
  );
}

export function DispositionForm({ ncr, busy, send }: { ncr: Ncr; busy: boolean; send: Send }) {
  const [disposition, setDisposition] = useState<Disposition | "">("");
  const [qty, setQty] = useState("");
  const [notes, setNotes] = useState("");
  const id = useId();
  const chosen = DISPOSITIONS.find((d) => d.value === disposition);
  const qtyNum = qty.trim() === "" ? null : Number(qty);
  const qtyError = qtyNum !== null && (!Number.isFinite(qtyNum) || qtyNum <= 0 || qtyNum > ncr.quantity) ? `Enter a quantity above 0 and at most ${fmtQty(ncr.quantity)}.` : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!disposition || qtyError) return;
    await send(`Could not disposition ${ncr.ncr_number}`, (version) =>
      dispositionNcr(ncr.id, { disposition, expected_version: version, notes: notes.trim(), ...(qtyNum !== null ? { quantity: qtyNum } : {}) }),
    );
  }
  return (
    <form className="qa-section pg-form" aria-labelledby={`${id}-h`} onSubmit={(e) => void submit(e)}>
      <h3 id={`${id}-h`}>Disposition</h3>
      <fieldset className="qa-radios">
        <legend>Disposition</legend>
        {DISPOSITIONS.map((d) => (
          <label key={d.value} className="pg-check qa-check">
            <input type="radio" name={`${id}-d`} value={d.value} checked={disposition === d.value} onChange={() => setDisposition(d.value)} />
            {d.label}
            {d.mrb && <span className="muted small"> (needs MRB approval)</span>}
          </label>
        ))}
      </fieldset>
      <label>
        Quantity (default: all {fmtQty(ncr.quantity)})
        <input inputMode="decimal" value={qty} onChange={(e) => setQty(e.target.value)} aria-invalid={qtyError ? true : undefined} aria-describedby={qtyError ? `${id}-qe` : undefined} />
      </label>
      {qtyError && (
        <p id={`${id}-qe`} className="field-error">
          {qtyError}
        </p>
      )}
      <label>
        Notes
        <textarea value={notes} onChange={(e) => setNotes(e.target.value)} rows={2} maxLength={4000} />
      </label>
      {chosen?.mrb && <p className="notice notice-warn small">{chosen.label} goes to the material review board: the NCR waits in “Pending MRB” until a quality user approves it.</p>}
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || !disposition || !!qtyError}>
          Record disposition
        </button>
      </div>
    </form>
  );
}

export function MrbPanel({ ncr, canApprove, busy, send }: { ncr: Ncr; canApprove: boolean; busy: boolean; send: Send }) {
  const [comment, setComment] = useState("");
  const id = useId();
  function decide(decision: "approve" | "reject") {
    return send(`Could not record the MRB decision on ${ncr.ncr_number}`, (version) =>
      mrbNcr(ncr.id, { decision, comment: comment.trim(), expected_version: version }),
    );
  }
  return (
    <section className="qa-section qa-mrb" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Material review board</h3>
      <p>
        Disposition <strong>{dispositionLabel(ncr.disposition)}</strong> of {fmtQty(ncr.disposition_quantity ?? ncr.quantity)} awaits MRB approval.
        {ncr.disposition_notes && <> Notes: “{ncr.disposition_notes}”.</>}
      </p>
      {canApprove ? (
        <>
          <label htmlFor={`${id}-c`}>MRB comment</label>
          <textarea id={`${id}-c`} value={comment} onChange={(e) => setComment(e.target.value)} rows={2} maxLength={4000} />
          <div className="pg-actions">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void decide("approve")}>
              Approve disposition (MRB)
            </button>
            <button type="button" className="btn" disabled={busy} onClick={() => void decide("reject")}>
              Reject disposition
            </button>
          </div>
        </>
      ) : (
        <p className="notice small" role="note">
          Only a user with the <strong>quality</strong> role can approve or reject an MRB disposition. Rejecting returns the NCR to “Contained”.
        </p>
      )}
    </section>
  );
}
