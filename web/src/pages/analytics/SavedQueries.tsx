// The tenant's saved queries: open one in the editor, run it, or delete it (its owner or an admin; the
// server decides, and a refusal is shown next to the query).
import { ApiError } from "../../api/client";
import { formatDateTime } from "../../lib/time";
import { ApiProblem } from "../shared/ApiProblem";
import { ConfirmButton } from "../shared/ConfirmButton";
import { canChange, deleteSaved, type SavedQuery } from "./api";

export interface SavedState {
  items: SavedQuery[] | null;
  error: unknown;
  reload(): void;
}

interface Props {
  saved: SavedState;
  user: { id: string; role: string } | null;
  timeZone: string;
  loadedId: string | null;
  running: boolean;
  onOpen(q: SavedQuery): void;
  onRun(q: SavedQuery): void;
  onDeleted(q: SavedQuery): void;
  message: { id: string; error: unknown } | null;
  onMessage(m: { id: string; error: unknown } | null): void;
}

function owner(q: SavedQuery, userId: string | undefined): string {
  if (q.owner_id === null) return "no owner";
  return q.owner_id === userId ? "yours" : "by another user";
}

function deleteProblem(q: SavedQuery, e: unknown): string {
  if (e instanceof ApiError && e.status === 403) return `You may not delete “${q.name}”: ${e.message}. Ask its owner or an administrator.`;
  if (e instanceof ApiError && e.status === 404) return `“${q.name}” was already deleted.`;
  return `Could not delete “${q.name}”: ${e instanceof Error ? e.message : String(e)}`;
}

export function SavedQueries({ saved, user, timeZone, loadedId, running, onOpen, onRun, onDeleted, message, onMessage }: Props) {
  if (saved.error !== null && !saved.items) {
    return (
      <>
        <ApiProblem error={saved.error} action="Could not load the saved queries" />
        <button type="button" className="btn btn-small" onClick={saved.reload}>
          Retry
        </button>
      </>
    );
  }
  if (!saved.items) return <p className="loading" role="status">Loading saved queries…</p>;
  if (saved.items.length === 0) return <p className="pg-empty">No saved queries yet. Write a query and choose “Save as…”.</p>;

  async function remove(q: SavedQuery) {
    onMessage(null);
    try {
      await deleteSaved(q.id);
      onDeleted(q);
    } catch (e) {
      onMessage({ id: q.id, error: e });
      if (e instanceof ApiError && e.status === 404) saved.reload();
    }
  }

  return (
    <ul className="an-saved-list">
      {saved.items.map((q) => (
        <li key={q.id} className={q.id === loadedId ? "an-saved current" : "an-saved"} data-testid="saved-query" aria-current={q.id === loadedId ? "true" : undefined}>
          <p className="an-saved-name">
            <strong>{q.name}</strong>
            {q.id === loadedId && <span className="an-tag">in the editor</span>}
          </p>
          {q.description && <p className="small an-saved-desc">{q.description}</p>}
          <p className="muted small">
            {owner(q, user?.id)} · {q.parameters.length === 0 ? "no parameters" : q.parameters.map((p) => `$${p.name}`).join(", ")} · updated{" "}
            {formatDateTime(q.updated_at, timeZone)}
          </p>
          <div className="pg-actions">
            <button type="button" className="btn btn-small" onClick={() => onOpen(q)} aria-label={`Open ${q.name} in the editor`}>
              Open
            </button>
            <button type="button" className="btn btn-small" onClick={() => onRun(q)} disabled={running} aria-label={`Run ${q.name}`}>
              Run
            </button>
            {canChange(q, user) && <ConfirmButton label="Delete" subject={q.name} question={`Delete the saved query “${q.name}”?`} onConfirm={() => remove(q)} />}
          </div>
          {message?.id === q.id && message.error !== null && (
            <p className="notice notice-error small" role="alert">
              {deleteProblem(q, message.error)}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
