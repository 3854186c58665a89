// Deciding a recommendation: accept it (its work order, optionally with priority, due date and assignee)
// or dismiss it with a note. Problems from the API (409: decided meanwhile, 422) show inline.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError } from "../../api/client";
import { ApiProblem } from "../shared/ApiProblem";
import { acceptRecommendation, dismissRecommendation, type AcceptBody, type Priority, type Recommendation, type User, type WorkOrder } from "./api";
import { AssigneeSelect, PrioritySelect } from "./FormBits";

interface Common {
  rec: Recommendation;
  onCancel(): void;
  /** 409: someone decided it meanwhile (the card shows the problem; the list reloads). */
  onStale(error: unknown): void;
}

function useFirstFocus<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}

export function AcceptForm({ rec, users, me, onCancel, onStale, onAccepted }: Common & { users: User[]; me: { id: string; name: string } | null; onAccepted(wo: WorkOrder): void }) {
  const [priority, setPriority] = useState<Priority | "">("");
  const [due, setDue] = useState("");
  const [assignee, setAssignee] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const first = useFirstFocus<HTMLButtonElement>();
  const id = `accept-${rec.id}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: AcceptBody = {
      ...(priority ? { priority } : {}),
      ...(due ? { due_date: due } : {}),
      ...(assignee ? { assigned_to: assignee } : {}),
    };
    try {
      onAccepted(await acceptRecommendation(rec.id, body));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) onStale(err);
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="mnt-decision" aria-label="Accept recommendation" onSubmit={submit}>
      <p className="small muted">Accepting opens (or keeps) a predictive work order for this machine. Leave a field empty to keep the recommended value.</p>
      <div className="mnt-grid">
        <div className="field">
          <label htmlFor={`${id}-priority`}>Priority</label>
          <PrioritySelect id={`${id}-priority`} value={priority} onChange={setPriority} blank="As recommended" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-due`}>Due date</label>
          <input id={`${id}-due`} type="date" value={due} onChange={(e) => setDue(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-assignee`}>Assignee</label>
          <AssigneeSelect id={`${id}-assignee`} value={assignee} onChange={setAssignee} users={users} me={me} />
        </div>
      </div>
      <ApiProblem error={error} action="Could not accept" labels={{ assigned_to: "Assignee", due_date: "Due date", priority: "Priority" }} />
      <div className="pg-actions">
        <button ref={first} type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Accepting…" : "Accept and open work order"}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function DismissForm({ rec, onCancel, onStale, onDismissed }: Common & { onDismissed(r: Recommendation): void }) {
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const first = useFirstFocus<HTMLTextAreaElement>();
  const id = `dismiss-${rec.id}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDismissed(await dismissRecommendation(rec.id, note.trim() || null));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) onStale(err);
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="mnt-decision" aria-label="Dismiss recommendation" onSubmit={submit}>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note (optional)</label>
        <textarea ref={first} id={`${id}-note`} rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} aria-describedby={`${id}-hint`} />
        <span id={`${id}-hint`} className="muted small">
          Why it is not needed. An untouched automatic work order is cancelled, and the machine is not flagged again for the policy's snooze time.
        </span>
      </div>
      <ApiProblem error={error} action="Could not dismiss" labels={{ note: "Note" }} />
      <div className="pg-actions">
        <button type="submit" className="btn btn-danger" disabled={busy}>
          {busy ? "Dismissing…" : "Dismiss recommendation"}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
