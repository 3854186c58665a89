// Create or change a webhook endpoint: name, URL, (on create) an optional own signing secret, the filters.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import type { Schemas } from "../../api/client";
import { ApiProblem } from "../shared/ApiProblem";
import { createWebhook, patchWebhook, type Webhook, type WebhookWithSecret } from "./api";
import { DEFAULT_FILTERS, FilterFields, filterErrors, filtersOf, type Filters } from "./FilterFields";

interface Props {
  webhook: Webhook | null;
  sites: Schemas["AssetOut"][];
  lines: Schemas["AssetOut"][];
  onSaved(w: WebhookWithSecret): void;
  onCancel(): void;
}

const LABELS = { name: "Name", url: "URL", secret: "Secret" };

export function WebhookForm({ webhook: w, sites, lines, onSaved, onCancel }: Props) {
  const [name, setName] = useState(w?.name ?? "");
  const [url, setUrl] = useState(w?.url ?? "");
  const [secret, setSecret] = useState("");
  const [filters, setFilters] = useState<Filters>(w ? filtersOf(w) : DEFAULT_FILTERS);
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const problems: Partial<Record<"name" | "url" | "secret", string>> = {};
  if (!name.trim()) problems.name = "Give the endpoint a name";
  if (!/^https?:\/\/\S+$/i.test(url.trim())) problems.url = "Enter an http(s) URL";
  if (secret && secret.length < 16) problems.secret = "At least 16 characters (or leave empty to generate one)";
  const shown = submitted ? { ...problems, ...filterErrors(filters) } : {};

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    const bad = (Object.keys(problems) as (keyof typeof problems)[])[0];
    if (bad || filterErrors(filters).event_kinds) {
      document.getElementById(bad ? `wh-${bad}` : "wh-events")?.focus();
      return;
    }
    setBusy(true);
    try {
      const body = { name: name.trim(), url: url.trim(), ...filters };
      onSaved(w ? await patchWebhook(w.id, { ...body, rotate_secret: false }) : await createWebhook({ ...body, secret: secret || null, enabled: true }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const field = (key: "name" | "url" | "secret", input: ReactNode, hint?: string) => (
    <div className="field">
      <label htmlFor={`wh-${key}`}>{LABELS[key]}</label>
      {input}
      {hint && (
        <span id={`wh-${key}-hint`} className="muted small">
          {hint}
        </span>
      )}
      {shown[key] && (
        <span id={`wh-${key}-err`} className="field-error">
          {shown[key]}
        </span>
      )}
    </div>
  );
  const a11y = (key: "name" | "url" | "secret", hint = false) => ({
    id: `wh-${key}`,
    "aria-invalid": shown[key] ? true : undefined,
    "aria-describedby": [shown[key] ? `wh-${key}-err` : "", hint ? `wh-${key}-hint` : ""].filter(Boolean).join(" ") || undefined,
  });

  return (
    <form className="nf-form" aria-label={w ? `Edit webhook ${w.name}` : "New webhook"} onSubmit={(e) => void submit(e)} noValidate>
      <div className="nf-grid">
        {field("name", <input ref={first} {...a11y("name")} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />)}
        {field("url", <input type="url" {...a11y("url")} value={url} placeholder="https://" onChange={(e) => setUrl(e.target.value)} />)}
        {!w &&
          field(
            "secret",
            <input {...a11y("secret", true)} value={secret} autoComplete="off" className="pg-mono" onChange={(e) => setSecret(e.target.value)} />,
            "Optional: empty generates one, shown once",
          )}
      </div>
      <FilterFields id="wh" value={filters} onChange={setFilters} sites={sites} lines={lines} errors={shown} />
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : w ? "Save webhook" : "Create webhook"}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ApiProblem error={error} action="Could not save the webhook" labels={LABELS} />
    </form>
  );
}
