// Small pieces shared by the rule form: ids derived from form paths, and errors wired to their inputs.
import type { ReactNode } from "react";

export function fieldId(path: string): string {
  return `rule-${path.replace(/[^A-Za-z0-9]+/g, "-")}`;
}

/** id / aria-invalid / aria-describedby for the input of a form path. */
export function a11y(path: string, error: string | undefined, hintId?: string) {
  const id = fieldId(path);
  const described = [error ? `${id}-err` : null, hintId ?? null].filter(Boolean).join(" ");
  return { id, "aria-invalid": error ? true : undefined, "aria-describedby": described || undefined };
}

export function FieldError({ path, error }: { path: string; error: string | undefined }) {
  return error ? (
    <span id={`${fieldId(path)}-err`} className="field-error">
      {error}
    </span>
  ) : null;
}

/** A labelled control with its error under it. */
export function Field({
  path,
  label,
  error,
  hint,
  className,
  children,
}: {
  path: string;
  label: ReactNode;
  error: string | undefined;
  hint?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={`field${className ? ` ${className}` : ""}`}>
      <label htmlFor={fieldId(path)}>{label}</label>
      {children}
      {hint && (
        <span id={`${fieldId(path)}-hint`} className="muted small">
          {hint}
        </span>
      )}
      <FieldError path={path} error={error} />
    </div>
  );
}

export const hintId = (path: string, hint: string | undefined) => (hint ? `${fieldId(path)}-hint` : undefined);
