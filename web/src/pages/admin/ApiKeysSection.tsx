// API keys for devices and integrations: list, create (the secret is shown once, here), revoke with confirmation.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { api, unwrap, type Schemas } from "../../api/client";
import { formatDateTime } from "../../lib/time";

type Key = Schemas["ApiKeyOut"];
type Site = Schemas["AssetOut"];

export function SecretBox({ created, onDone }: { created: Schemas["ApiKeyCreated"]; onDone(): void }) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied("yes");
    } catch {
      setCopied("no");
    }
  };
  return (
    <div className="pg-secret" role="region" aria-labelledby="secret-title" data-testid="key-secret">
      <h3 id="secret-title">API key “{created.name}” created</h3>
      <p className="pg-warning">
        <strong>Copy this key now. It is shown only once</strong> — MIP stores only a hash, so it cannot be shown again.
        If you lose it, revoke it and create a new one.
      </p>
      <div className="pg-secret-row">
        <input
          readOnly
          value={created.key}
          aria-label="API key secret"
          onFocus={(e) => e.currentTarget.select()}
          className="pg-mono"
        />
        <button type="button" className="btn btn-primary" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p role="status" className="small">
        {copied === "yes" ? "Copied to the clipboard." : copied === "no" ? "Copy failed: select the key and copy it by hand." : ""}
      </p>
      <button type="button" className="btn" onClick={onDone}>
        I have stored the key
      </button>
    </div>
  );
}

function RevokeButton({ k, onRevoked }: { k: Key; onRevoked(k: Key): void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const revoke = async () => {
    setBusy(true);
    try {
      onRevoked(await unwrap(api.DELETE("/api/v1/api-keys/{key_id}", { params: { path: { key_id: k.id } } })));
    } catch (e) {
      setError((e as Error).message);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };
  if (confirming) {
    return (
      <span className="pg-actions" role="group" aria-label={`Confirm revoking ${k.name}`}>
        <span>Devices using it stop working.</span>
        <button type="button" className="btn btn-danger" onClick={() => void revoke()} disabled={busy}>
          Yes, revoke
        </button>
        <button type="button" className="btn" onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </span>
    );
  }
  return (
    <>
      <button type="button" className="btn btn-small btn-danger" onClick={() => setConfirming(true)} aria-label={`Revoke ${k.name}`}>
        Revoke
      </button>
      {error && <p role="alert" className="form-error">{error}</p>}
    </>
  );
}

export function ApiKeysSection({ timeZone }: { timeZone: string }) {
  const [keys, setKeys] = useState<Key[] | null>(null);
  const [sites, setSites] = useState<Site[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [siteId, setSiteId] = useState("");
  const [busy, setBusy] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const [created, setCreated] = useState<Schemas["ApiKeyCreated"] | null>(null);

  const load = useCallback(() => {
    unwrap(api.GET("/api/v1/api-keys"))
      .then((k) => {
        setKeys(k);
        setError(null);
      })
      .catch((e: Error) => setError(e.message));
    unwrap(api.GET("/api/v1/assets", { params: { query: { kind: "site", limit: 1000 } } }))
      .then((p) => setSites(p.items))
      .catch(() => setSites([]));
  }, []);
  useEffect(load, [load]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setCreateError(null);
    try {
      const k = await unwrap(api.POST("/api/v1/api-keys", { body: { name: name.trim(), site_id: siteId || null } }));
      setCreated(k);
      setName("");
      const { key: _secret, ...listed } = k; // the list never holds the secret
      void _secret;
      setKeys((cur) => [listed, ...(cur ?? [])]);
    } catch (err) {
      setCreateError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const siteName = (id: string | null) => (id ? (sites.find((s) => s.id === id)?.name ?? id.slice(0, 8)) : "all sites");

  return (
    <section className="panel pg-card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      {created && <SecretBox created={created} onDone={() => setCreated(null)} />}
      {error && <p role="alert" className="form-error">Could not load API keys: {error}</p>}
      {keys === null && !error && <p className="muted">Loading API keys…</p>}
      {keys?.length === 0 && <p className="pg-empty">No API keys yet.</p>}
      {!!keys?.length && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Scope</th>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} className={k.revoked_at ? "pg-inactive" : ""}>
                  <th scope="row">{k.name}</th>
                  <td className="pg-mono">{k.prefix}…</td>
                  <td>{siteName(k.site_id)}</td>
                  <td className="nowrap">{formatDateTime(k.created_at, timeZone).slice(0, 10)}</td>
                  <td>
                    {k.revoked_at ? (
                      `revoked ${formatDateTime(k.revoked_at, timeZone)}`
                    ) : (
                      <RevokeButton k={k} onRevoked={(r) => setKeys((cur) => cur?.map((x) => (x.id === r.id ? r : x)) ?? null)} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="pg-form pg-form-grid" onSubmit={submit} aria-label="New API key">
        <h3>New API key</h3>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} placeholder="e.g. press-line-gateway" />
        </label>
        <label>
          Scope
          <select value={siteId} onChange={(e) => setSiteId(e.target.value)}>
            <option value="">All sites</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        {createError && <p role="alert" className="form-error">{createError}</p>}
        <div className="pg-actions">
          <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
            {busy ? "Creating…" : "Create key"}
          </button>
        </div>
      </form>
    </section>
  );
}
