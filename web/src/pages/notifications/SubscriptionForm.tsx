// Create or change one of my alarm subscriptions: a name, the filters, on/off. E-mail goes to my address.
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { Schemas } from "../../api/client";
import { ApiProblem } from "../shared/ApiProblem";
import { createSubscription, patchSubscription, type Subscription } from "./api";
import { DEFAULT_FILTERS, FilterFields, filterErrors, filtersOf, type Filters } from "./FilterFields";

interface Props {
  subscription: Subscription | null;
  email: string;
  sites: Schemas["AssetOut"][];
  lines: Schemas["AssetOut"][];
  onSaved(s: Subscription): void;
  onCancel(): void;
}

export function SubscriptionForm({ subscription: sub, email, sites, lines, onSaved, onCancel }: Props) {
  const [name, setName] = useState(sub?.name ?? "");
  const [filters, setFilters] = useState<Filters>(sub ? filtersOf(sub) : DEFAULT_FILTERS);
  const [enabled, setEnabled] = useState(sub?.enabled ?? true);
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const errors = submitted ? filterErrors(filters) : {};

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    if (filterErrors(filters).event_kinds) {
      document.getElementById("sub-events")?.focus();
      return;
    }
    setBusy(true);
    try {
      const body = { name: name.trim(), ...filters, enabled };
      onSaved(sub ? await patchSubscription(sub.id, body) : await createSubscription({ ...body, channels: ["email"] }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="nf-form" aria-label={sub ? `Edit subscription ${sub.name || "(unnamed)"}` : "New subscription"} onSubmit={(e) => void submit(e)} noValidate>
      <div className="field">
        <label htmlFor="sub-name">Name</label>
        <input id="sub-name" ref={first} value={name} maxLength={200} placeholder="e.g. Line A, major and up" onChange={(e) => setName(e.target.value)} />
      </div>
      <FilterFields id="sub" value={filters} onChange={setFilters} sites={sites} lines={lines} errors={errors} />
      <label className="pg-check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Enabled
      </label>
      <p className="muted small">Notifications go by e-mail to {email}.</p>
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : sub ? "Save subscription" : "Create subscription"}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ApiProblem error={error} action="Could not save the subscription" />
    </form>
  );
}
