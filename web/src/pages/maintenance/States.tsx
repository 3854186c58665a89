// Loading, error and empty states of the maintenance tabs (the same words and roles everywhere).
import type { ReactNode } from "react";

export function LoadError({ what, error, onRetry }: { what: string; error: string; onRetry(): void }) {
  return (
    <div className="panel error-state" role="alert">
      <p>
        Could not load {what}: {error}
      </p>
      <button type="button" className="btn btn-primary" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="panel empty-state" role="status">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

/** A one-line success message; announced politely. */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="pg-ok" role="status">
      {children}
    </p>
  );
}
