// Webhook endpoints of the tenant (admins): list, create (the secret is shown once), edit, enable/disable,
// rotate the secret (shown once), send a signed test event, delete.
import { useEffect, useState } from "react";
import type { Schemas } from "../../api/client";
import { ApiProblem } from "../shared/ApiProblem";
import { ConfirmButton } from "../shared/ConfirmButton";
import { deleteWebhook, listWebhooks, patchWebhook, testWebhook, withoutSecret, type Webhook, type WebhookWithSecret } from "./api";
import { filtersOf, filtersSummary } from "./FilterFields";
import { WebhookForm } from "./WebhookForm";
import { WebhookSecret } from "./WebhookSecret";

interface Props {
  sites: Schemas["AssetOut"][];
  lines: Schemas["AssetOut"][];
  names: Map<string, string>;
  onNotice(m: string): void;
}

export function WebhooksSection({ sites, lines, names, onNotice }: Props) {
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Webhook | "new" | null>(null);
  const [secret, setSecret] = useState<{ name: string; secret: string; rotated: boolean } | null>(null);

  useEffect(() => {
    let alive = true;
    listWebhooks()
      .then((h) => alive && setHooks(h))
      .catch((e) => alive && setError(e));
    return () => {
      alive = false;
    };
  }, []);

  const upsert = (w: WebhookWithSecret) => {
    const listed = withoutSecret(w);
    setHooks((cur) => [...(cur ?? []).filter((x) => x.id !== w.id), listed].sort((a, b) => a.name.localeCompare(b.name)));
  };

  async function act(fn: () => Promise<void>) {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    }
  }

  const toggle = (w: Webhook, enabled: boolean) =>
    act(async () => {
      upsert(await patchWebhook(w.id, { enabled, rotate_secret: false }));
      onNotice(`Webhook “${w.name}” ${enabled ? "enabled" : "disabled"}${enabled ? "" : ": its pending deliveries are cancelled"}.`);
    });
  const rotate = (w: Webhook) =>
    act(async () => {
      const out = await patchWebhook(w.id, { rotate_secret: true });
      upsert(out);
      if (out.secret) setSecret({ name: out.name, secret: out.secret, rotated: true });
    });
  const test = (w: Webhook) =>
    act(async () => {
      const d = await testWebhook(w.id);
      onNotice(`Test event queued for “${w.name}” (delivery ${d.id.slice(0, 8)}, ${d.status}).`);
    });

  const remove = (w: Webhook) =>
    act(async () => {
      await deleteWebhook(w.id);
      setHooks((cur) => (cur ?? []).filter((x) => x.id !== w.id));
      onNotice(`Webhook “${w.name}” deleted.`);
    });

  return (
    <section className="panel pg-card" aria-labelledby="hooks-title">
      <div className="pg-card-head">
        <h2 id="hooks-title">Webhook endpoints</h2>
        <button type="button" className="btn btn-primary" onClick={() => setEditing("new")} disabled={editing !== null}>
          New webhook
        </button>
      </div>
      <p className="muted small">Signed JSON POSTs of alarm events to your systems, for the whole organisation; failed deliveries are retried, then dead-lettered.</p>
      {secret && <WebhookSecret {...secret} onDone={() => setSecret(null)} />}
      {editing !== null && (
        <WebhookForm
          key={editing === "new" ? "new" : editing.id}
          webhook={editing === "new" ? null : editing}
          sites={sites}
          lines={lines}
          onCancel={() => setEditing(null)}
          onSaved={(w) => {
            upsert(w);
            if (editing === "new" && w.secret) setSecret({ name: w.name, secret: w.secret, rotated: false });
            else onNotice(`Webhook “${w.name}” saved.`);
            setEditing(null);
          }}
        />
      )}
      <ApiProblem error={error} action="Webhooks" />
      {hooks?.length === 0 && <p className="muted">No webhook endpoints.</p>}
      {!!hooks?.length && (
        <ul className="nf-list" aria-label="Webhook endpoints">
          {hooks.map((w) => (
            <li key={w.id} className={w.enabled ? "nf-item" : "nf-item pg-inactive"} data-testid="webhook">
              <div className="nf-item-main">
                <strong>{w.name}</strong>
                <span className="pg-mono small nf-url">{w.url}</span>
                <span className="muted small">{filtersSummary(filtersOf(w), names)}</span>
              </div>
              <div className="pg-actions">
                <label className="pg-check">
                  <input type="checkbox" role="switch" checked={w.enabled} aria-label={`Enabled: ${w.name}`} onChange={(e) => void toggle(w, e.target.checked)} />
                  <span aria-hidden="true">{w.enabled ? "On" : "Off"}</span>
                </label>
                <button type="button" className="btn btn-small" onClick={() => void test(w)} disabled={!w.enabled} aria-label={`Send a test event to ${w.name}`}>
                  Send test
                </button>
                <button type="button" className="btn btn-small" onClick={() => setEditing(w)} aria-label={`Edit ${w.name}`}>
                  Edit
                </button>
                <ConfirmButton
                  label="Rotate secret"
                  subject={`of ${w.name}`}
                  question={`Rotate the secret of ${w.name}? The old one stops working.`}
                  confirmText="Yes, rotate"
                  tone="normal"
                  onConfirm={() => rotate(w)}
                />
                <ConfirmButton label="Delete" subject={`webhook ${w.name}`} onConfirm={() => remove(w)} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
