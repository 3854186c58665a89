// Create a work order: machine, title, description, kind, priority, due date, assignee and, for a
// breakdown, when the machine failed (that labels the data RUL models train on).
import { useEffect, useRef, useState, type FormEvent } from "react";
import { fromLocalInput } from "../../lib/zoned";
import { ApiProblem } from "../shared/ApiProblem";
import { createWorkOrder, WO_KINDS, type Priority, type User, type WorkOrder, type WorkOrderBody, type WorkOrderKind } from "./api";
import { AssigneeSelect, PrioritySelect } from "./FormBits";
import { KIND_TEXT } from "./format";
import type { Basics } from "./useMaintenanceBasics";

interface Props {
  basics: Basics;
  users: User[];
  me: { id: string; name: string } | null;
  initialMachine?: string;
  onCreated(wo: WorkOrder): void;
  onCancel(): void;
}

type Errors = Partial<Record<"machine" | "title" | "failed", string>>;

const LABELS = { machine_id: "Machine", title: "Title", description: "Description", priority: "Priority", due_date: "Due date", assigned_to: "Assignee", failed_at: "Failed at", kind: "Kind" };

export function WorkOrderForm({ basics, users, me, initialMachine = "", onCreated, onCancel }: Props) {
  const [machine, setMachine] = useState(initialMachine);
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [kind, setKind] = useState<WorkOrderKind>("corrective");
  const [priority, setPriority] = useState<Priority | "">("medium");
  const [due, setDue] = useState("");
  const [assignee, setAssignee] = useState("");
  const [failed, setFailed] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const machineRef = useRef<HTMLSelectElement>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  useEffect(() => (initialMachine ? titleRef : machineRef).current?.focus(), [initialMachine]);
  const tz = basics.tzFor(machine || null);

  function check(): Errors {
    const e: Errors = {};
    if (!machine) e.machine = "Pick a machine";
    if (!title.trim()) e.title = "Give the work order a title";
    else if (title.trim().length > 200) e.title = "At most 200 characters";
    if (failed && !fromLocalInput(failed, tz)) e.failed = "Enter a date and time";
    return e;
  }

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const e = check();
    setErrors(e);
    if (e.machine) return machineRef.current?.focus();
    if (e.title) return titleRef.current?.focus();
    if (e.failed) return;
    const body: WorkOrderBody = {
      machine_id: machine,
      title: title.trim(),
      description: description.trim(),
      kind,
      priority: priority || "medium",
      due_date: due || null,
      assigned_to: assignee || null,
      failed_at: failed ? (fromLocalInput(failed, tz)?.toISOString() ?? null) : null,
    };
    setBusy(true);
    setError(null);
    try {
      onCreated(await createWorkOrder(body));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const invalid = (k: keyof Errors) => (errors[k] ? { "aria-invalid": true as const, "aria-describedby": `wo-${k}-err` } : {});
  const err = (k: keyof Errors) =>
    errors[k] ? (
      <span id={`wo-${k}-err`} className="field-error">
        {errors[k]}
      </span>
    ) : null;

  return (
    <form className="mnt-form" aria-label="New work order" onSubmit={submit} noValidate>
      <div className="mnt-grid">
        <div className="field">
          <label htmlFor="wo-machine">Machine</label>
          <select id="wo-machine" ref={machineRef} value={machine} onChange={(e) => setMachine(e.target.value)} {...invalid("machine")}>
            <option value="">Pick a machine…</option>
            {basics.machines.map((m) => (
              <option key={m.id} value={m.id}>
                {m.path}
              </option>
            ))}
          </select>
          {err("machine")}
        </div>
        <div className="field mnt-wide">
          <label htmlFor="wo-title">Title</label>
          <input id="wo-title" ref={titleRef} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} {...invalid("title")} />
          {err("title")}
        </div>
        <div className="field mnt-full">
          <label htmlFor="wo-description">Description</label>
          <textarea id="wo-description" rows={3} maxLength={10000} value={description} onChange={(e) => setDescription(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="wo-kind">Kind</label>
          <select id="wo-kind" value={kind} onChange={(e) => setKind(e.target.value as WorkOrderKind)}>
            {WO_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_TEXT[k]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="wo-priority">Priority</label>
          <PrioritySelect id="wo-priority" value={priority} onChange={setPriority} />
        </div>
        <div className="field">
          <label htmlFor="wo-due">Due date</label>
          <input id="wo-due" type="date" value={due} onChange={(e) => setDue(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="wo-assignee">Assignee</label>
          <AssigneeSelect id="wo-assignee" value={assignee} onChange={setAssignee} users={users} me={me} />
        </div>
        <div className="field">
          <label htmlFor="wo-failed">Machine failed at (optional)</label>
          <input id="wo-failed" type="datetime-local" value={failed} onChange={(e) => setFailed(e.target.value)} {...invalid("failed")} aria-describedby={errors.failed ? "wo-failed-err" : "wo-failed-hint"} />
          <span id="wo-failed-hint" className="muted small">
            For breakdowns, in plant time ({tz}). Recorded failures are what RUL models learn from.
          </span>
          {err("failed")}
        </div>
      </div>
      <ApiProblem error={error} action="Could not create the work order" labels={LABELS} />
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Creating…" : "Create work order"}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
