// Loading, load-error and action-error states of the quality and trace pages. ActionError explains the
// workflow conflicts the API answers (403 MRB role, 409 invalid transition / stale version / CAPA not
// effective) in words and offers a reload where reloading is the fix.
import type { ReactNode } from "react";
import { ApiError } from "../../api/client";
import { errorMessage } from "../shared/errors";
import { ApiProblem } from "../shared/ApiProblem";

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function LoadError({ what, error, onRetry }: { what: string; error: unknown; onRetry(): void }) {
  return (
    <div className="panel error-state" role="alert">
      <p>
        Could not load {what}: {errorMessage(error)}
      </p>
      <button type="button" className="btn btn-primary" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}

/** The `allowed` list a 409 invalid_transition carries (when it does). */
function allowedOf(e: ApiError): string[] | null {
  const p = e.problem as { allowed?: unknown } | undefined;
  return p && Array.isArray(p.allowed) ? p.allowed.map(String) : null;
}

interface ActionErrorProps {
  error: unknown;
  /** "Could not move NCR-000012" */
  action: string;
  /** Reload the record (after a version conflict or an invalid transition). */
  onReload?(): void;
  /** Status values in words, for the allowed transitions. */
  label?(s: string): string;
  extra?: ReactNode;
}

export function ActionError({ error, action, onReload, label = (s) => s, extra }: ActionErrorProps) {
  if (error === null || error === undefined) return null;
  if (!(error instanceof ApiError) || (error.status !== 403 && error.status !== 409)) {
    return <ApiProblem error={error} action={action} />;
  }
  let title: string;
  let hint: ReactNode = null;
  let reload = false;
  switch (error.code) {
    case "version_conflict":
      title = "Someone else changed this record meanwhile";
      hint = "Your change was not saved. Reload to see the current version, then try again.";
      reload = true;
      break;
    case "invalid_transition": {
      title = "This step is not allowed now";
      const allowed = allowedOf(error);
      hint = allowed ? (allowed.length ? `From its current status it can go to: ${allowed.map(label).join(", ")}.` : "It cannot change status any more.") : null;
      reload = true;
      break;
    }
    case "capa_effectiveness_not_passed":
      title = "The CAPA cannot be closed yet";
      hint = "Closing needs a passed effectiveness check: record the check's date and result “Passed” in the effectiveness section, save, then close.";
      break;
    case "mrb_quality_role_required":
      title = "MRB approval needs the quality role";
      hint = "Only a user with the quality role can approve or reject a use-as-is or repair disposition. Ask your quality engineer.";
      break;
    default:
      title = error.status === 403 ? "You are not allowed to do this" : "Conflict";
  }
  return (
    <div className="notice notice-error api-problem qa-action-error" role="alert">
      <p>
        <strong>
          {action}: {title}.
        </strong>{" "}
        {error.message}
      </p>
      {hint && <p>{hint}</p>}
      {extra}
      {reload && onReload && (
        <button type="button" className="btn btn-small" onClick={onReload}>
          Reload
        </button>
      )}
    </div>
  );
}
