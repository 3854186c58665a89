// "Save as…": the current SQL under a new name (unique per tenant: a taken name is said next to the field),
// with the query's $parameters declared by their current type and value (the value becomes the default).
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { ApiError } from "../../api/client";
import { ApiProblem } from "../shared/ApiProblem";
import { createSaved, type ParamSpec, type SavedQuery } from "./api";

interface Props {
  sql: string;
  params: ParamSpec[];
  onSaved(q: SavedQuery): void;
  onCancel(): void;
}

export function SaveQueryForm({ sql, params, onSaved, onCancel }: Props) {
  const id = useId();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [busy, setBusy] = useState(false);
  const [nameError, setNameError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  useEffect(() => nameRef.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNameError(null);
    const n = name.trim();
    if (!n) {
      setNameError("Enter a name.");
      nameRef.current?.focus();
      return;
    }
    if (!sql.trim()) {
      setError(new Error("The editor is empty: write a query first."));
      return;
    }
    setBusy(true);
    try {
      onSaved(await createSaved({ name: n, description: description.trim(), sql, parameters: params }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setNameError(`A saved query named “${n}” already exists. Choose another name, or open that query and save your changes to it.`);
        nameRef.current?.focus();
      } else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="an-save-form panel" onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`}>Save query as</h3>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          ref={nameRef}
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? `${id}-name-err` : undefined}
          required
        />
        {nameError && (
          <span id={`${id}-name-err`} className="field-error" role="alert">
            {nameError}
          </span>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-desc`}>Description (optional)</label>
        <textarea id={`${id}-desc`} value={description} maxLength={2000} rows={2} onChange={(e) => setDescription(e.target.value)} />
      </div>
      {params.length > 0 && (
        <p className="small">
          Parameters:{" "}
          {params.map((p, i) => (
            <span key={p.name}>
              {i > 0 && ", "}
              <code>${p.name}</code> ({p.type}
              {p.default !== null && p.default !== undefined ? `, default ${String(p.default)}` : ", no default"})
            </span>
          ))}
        </p>
      )}
      <ApiProblem error={error} action="Could not save the query" />
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : "Save"}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
