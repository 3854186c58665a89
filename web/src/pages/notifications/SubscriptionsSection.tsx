// My alarm subscriptions: list with their filters in words, switch on/off, create, edit, delete.
import { useEffect, useState } from "react";
import type { Schemas } from "../../api/client";
import { ApiProblem } from "../shared/ApiProblem";
import { ConfirmButton } from "../shared/ConfirmButton";
import { deleteSubscription, listSubscriptions, patchSubscription, type Subscription } from "./api";
import { filtersOf, filtersSummary } from "./FilterFields";
import { SubscriptionForm } from "./SubscriptionForm";

interface Props {
  email: string;
  sites: Schemas["AssetOut"][];
  lines: Schemas["AssetOut"][];
  names: Map<string, string>;
  onNotice(m: string): void;
}

export function SubscriptionsSection({ email, sites, lines, names, onNotice }: Props) {
  const [subs, setSubs] = useState<Subscription[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Subscription | "new" | null>(null);

  useEffect(() => {
    let alive = true;
    listSubscriptions()
      .then((s) => alive && setSubs(s))
      .catch((e) => alive && setError(e));
    return () => {
      alive = false;
    };
  }, []);

  const upsert = (s: Subscription) => setSubs((cur) => [...(cur ?? []).filter((x) => x.id !== s.id), s].sort((a, b) => a.created_at.localeCompare(b.created_at)));
  const label = (s: Subscription) => s.name || "(unnamed)";

  async function act(fn: () => Promise<void>) {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="panel pg-card" aria-labelledby="subs-title">
      <div className="pg-card-head">
        <h2 id="subs-title">Alarm subscriptions</h2>
        <button type="button" className="btn btn-primary" onClick={() => setEditing("new")} disabled={editing !== null}>
          New subscription
        </button>
      </div>
      {editing !== null && (
        <SubscriptionForm
          key={editing === "new" ? "new" : editing.id}
          subscription={editing === "new" ? null : editing}
          email={email}
          sites={sites}
          lines={lines}
          onCancel={() => setEditing(null)}
          onSaved={(s) => {
            upsert(s);
            onNotice(editing === "new" ? `Subscription “${label(s)}” created.` : `Subscription “${label(s)}” saved.`);
            setEditing(null);
          }}
        />
      )}
      <ApiProblem error={error} action="Subscriptions" />
      {subs === null && !error && <p className="muted">Loading subscriptions…</p>}
      {subs?.length === 0 && <p className="muted">No subscriptions: you get no alarm e-mails. Create one to be told about alarms.</p>}
      {!!subs?.length && (
        <ul className="nf-list" aria-label="My subscriptions">
          {subs.map((s) => (
            <li key={s.id} className={s.enabled ? "nf-item" : "nf-item pg-inactive"} data-testid="subscription">
              <div className="nf-item-main">
                <strong>{label(s)}</strong>
                <span className="muted small">{filtersSummary(filtersOf(s), names)}</span>
              </div>
              <div className="pg-actions">
                <label className="pg-check">
                  <input
                    type="checkbox"
                    role="switch"
                    checked={s.enabled}
                    aria-label={`Enabled: ${label(s)}`}
                    onChange={(e) => void act(async () => upsert(await patchSubscription(s.id, { enabled: e.target.checked })))}
                  />
                  <span aria-hidden="true">{s.enabled ? "On" : "Off"}</span>
                </label>
                <button type="button" className="btn btn-small" onClick={() => setEditing(s)} aria-label={`Edit ${label(s)}`}>
                  Edit
                </button>
                <ConfirmButton
                  label="Delete"
                  subject={`subscription ${label(s)}`}
                  onConfirm={() =>
                    act(async () => {
                      await deleteSubscription(s.id);
                      setSubs((cur) => (cur ?? []).filter((x) => x.id !== s.id));
                      onNotice(`Subscription “${label(s)}” deleted.`);
                    })
                  }
                />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
