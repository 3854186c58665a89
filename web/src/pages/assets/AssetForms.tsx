// Create / edit / delete an asset. API errors (409 path exists, has children, 422 ...) are shown inline.
import { useState, type FormEvent } from "react";
import { api, unwrap, type Schemas } from "../../api/client";
import { KIND_LABEL, type AssetKind, type AssetNode } from "./tree";

type AssetOut = Schemas["AssetOut"];
const NAME_HINT = "1–64 letters, digits, '_', '.' or '-', starting with a letter or digit";

function ErrorText({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="form-error">
      {error}
    </p>
  ) : null;
}

export function CreateAssetForm({
  kind,
  parent,
  onCreated,
  onCancel,
}: {
  kind: AssetKind;
  parent: AssetNode | null;
  onCreated(a: AssetOut): void;
  onCancel?(): void;
}) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [timezone, setTimezone] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const label = KIND_LABEL[kind];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: Schemas["AssetIn"] = { kind, name: name.trim(), description: description.trim(), parent_id: parent?.id ?? null };
    if (kind === "site" && timezone.trim()) body.timezone = timezone.trim();
    try {
      const a = await unwrap(api.POST("/api/v1/assets", { body }));
      setName("");
      setDescription("");
      setTimezone("");
      onCreated(a);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="pg-form" onSubmit={submit} aria-label={`New ${label.toLowerCase()}`}>
      <h3>
        New {label.toLowerCase()}
        {parent ? ` in ${parent.name}` : ""}
      </h3>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} title={NAME_HINT} />
      </label>
      <label>
        Description
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      {kind === "site" && (
        <label>
          Time zone
          <input value={timezone} onChange={(e) => setTimezone(e.target.value)} placeholder="e.g. Europe/Berlin" />
        </label>
      )}
      <ErrorText error={error} />
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
          {busy ? "Creating…" : `Create ${label.toLowerCase()}`}
        </button>
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

export function EditAssetForm({ node, onSaved }: { node: AssetNode; onSaved(a: AssetOut): void }) {
  const [name, setName] = useState(node.name);
  const [description, setDescription] = useState(node.description);
  const [timezone, setTimezone] = useState(node.timezone ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const patch: Schemas["AssetPatch"] = {};
  if (name.trim() !== node.name) patch.name = name.trim();
  if (description !== node.description) patch.description = description;
  if (timezone.trim() !== (node.timezone ?? "")) patch.timezone = timezone.trim() || null;
  const dirty = Object.keys(patch).length > 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const a = await unwrap(api.PATCH("/api/v1/assets/{asset_id}", { params: { path: { asset_id: node.id } }, body: patch }));
      setSaved(true);
      onSaved(a);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="pg-form" onSubmit={submit} aria-label="Edit asset">
      <h3>Rename / describe</h3>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} title={NAME_HINT} />
      </label>
      <label>
        Description
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <label>
        Time zone <span className="muted small">(empty: inherit)</span>
        <input value={timezone} onChange={(e) => setTimezone(e.target.value)} placeholder="e.g. Europe/Berlin" />
      </label>
      <ErrorText error={error} />
      {saved && !dirty && <p className="pg-ok" role="status">Saved.</p>}
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || !dirty || !name.trim()}>
          {busy ? "Saving…" : "Save changes"}
        </button>
      </div>
    </form>
  );
}

export function DeleteAsset({ node, onDeleted }: { node: AssetNode; onDeleted(): void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.DELETE("/api/v1/assets/{asset_id}", { params: { path: { asset_id: node.id } } }));
      onDeleted();
    } catch (err) {
      setError((err as Error).message);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="pg-danger-zone">
      {confirming ? (
        <div className="pg-actions" role="group" aria-label="Confirm delete">
          <span>
            Delete {KIND_LABEL[node.kind].toLowerCase()} <strong>{node.path}</strong>?
          </span>
          <button type="button" className="btn btn-danger" onClick={remove} disabled={busy}>
            {busy ? "Deleting…" : "Yes, delete"}
          </button>
          <button type="button" className="btn" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)}>
          Delete {KIND_LABEL[node.kind].toLowerCase()}
        </button>
      )}
      <ErrorText error={error} />
    </div>
  );
}
