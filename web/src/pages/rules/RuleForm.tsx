// Create or edit a rule. Inline validation first; then the API's 422 problems next to the form (and on their
// fields); a 409 (someone saved a newer version meanwhile) offers to reload the rule.
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError } from "../../api/client";
import { errorMessage } from "../shared/errors";
import { createRule, fieldProblems, getRule, SEVERITIES, updateRule, type FieldProblem, type Machine, type Rule } from "./api";
import { ConditionFields } from "./ConditionFields";
import { draftFromRule, emptyDraft, toBody, validate, type Draft } from "./draft";
import { a11y, Field } from "./FormBits";
import { ScopeFields, useSensors } from "./ScopeFields";

interface Props {
  rule: Rule | null; // null: a new rule
  machines: Machine[];
  onSaved(r: Rule): void;
  onReloaded(r: Rule): void;
  onCancel(): void;
}

export function RuleForm({ rule, machines, onSaved, onReloaded, onCancel }: Props) {
  const [base, setBase] = useState<Rule | null>(rule);
  const [draft, setDraft] = useState<Draft>(() => (rule ? draftFromRule(rule) : emptyDraft()));
  const [submitted, setSubmitted] = useState(false);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const sensors = useSensors(draft.machineId);

  const set = useCallback((patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setProblems([]); // the API's answer was about the previous input
  }, []);

  useEffect(() => {
    if (conflict) formRef.current?.querySelector<HTMLElement>("[data-conflict] button")?.focus();
  }, [conflict]);

  const clientErrors = submitted ? validate(draft) : {};
  const errors: Record<string, string> = { ...Object.fromEntries(problems.filter((p) => p.path).map((p) => [p.path, p.msg])), ...clientErrors };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    setProblems([]);
    if (Object.keys(validate(draft)).length > 0) {
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    try {
      const body = toBody(draft);
      onSaved(base ? await updateRule(base.id, body, base.version) : await createRule(body));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setConflict(true);
      else {
        setProblems(fieldProblems(err));
        setError(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  }

  async function reload() {
    if (!base) return;
    setError(null);
    try {
      const fresh = await getRule(base.id);
      setBase(fresh);
      setDraft(draftFromRule(fresh));
      setConflict(false);
      setSubmitted(false);
      onReloaded(fresh);
    } catch (err) {
      setError(`Could not reload the rule: ${errorMessage(err)}`);
    }
  }

  const title = base ? `Edit rule “${base.name}”` : "New rule";
  return (
    <form ref={formRef} className="rule-form" aria-label={title} noValidate onSubmit={(e) => void submit(e)}>
      <fieldset className="rule-section">
        <legend>Rule</legend>
        <div className="rule-grid">
          <Field path="name" label="Name" error={errors["name"]} className="rule-wide">
            <input {...a11y("name", errors["name"])} value={draft.name} maxLength={200} onChange={(e) => set({ name: e.target.value })} />
          </Field>
          <Field path="severity" label="Severity" error={errors["severity"]}>
            <select {...a11y("severity", errors["severity"])} value={draft.severity} onChange={(e) => set({ severity: e.target.value as Draft["severity"] })}>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s[0].toUpperCase() + s.slice(1)}
                </option>
              ))}
            </select>
          </Field>
          <label className="pg-check rule-check">
            <input type="checkbox" checked={draft.safety} onChange={(e) => set({ safety: e.target.checked })} />
            Safety-relevant
          </label>
          <label className="pg-check rule-check">
            <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
            Enabled
          </label>
          <Field path="message" label="Alarm message (optional)" error={errors["message"]} hint="Empty: the rule describes itself" className="rule-wide">
            <input {...a11y("message", errors["message"], "rule-message-hint")} value={draft.message} maxLength={500} onChange={(e) => set({ message: e.target.value })} />
          </Field>
        </div>
      </fieldset>
      <ScopeFields draft={draft} errors={errors} machines={machines} sensors={sensors} set={set} />
      <ConditionFields draft={draft} errors={errors} sensorNames={[...new Set(sensors.map((s) => s.name))]} set={set} />
      <fieldset className="rule-section">
        <legend>Escalation and flood control</legend>
        <div className="rule-grid">
          <Field path="escalate_after_s" label="Escalate after (s)" error={errors["escalate_after_s"]} hint="If not acknowledged in time; empty: default by severity">
            <input
              {...a11y("escalate_after_s", errors["escalate_after_s"], "rule-escalate-after-s-hint")}
              type="number"
              step="any"
              inputMode="decimal"
              value={draft.escalateAfter}
              onChange={(e) => set({ escalateAfter: e.target.value })}
            />
          </Field>
          <Field
            path="max_alarms_per_hour"
            label="Max alarms per hour"
            error={errors["max_alarms_per_hour"]}
            hint={draft.safety ? "Never applied to safety rules" : "More are grouped into one flood alarm; empty: no limit"}
          >
            <input
              {...a11y("max_alarms_per_hour", errors["max_alarms_per_hour"], "rule-max-alarms-per-hour-hint")}
              type="number"
              step={1}
              inputMode="numeric"
              value={draft.maxPerHour}
              onChange={(e) => set({ maxPerHour: e.target.value })}
            />
          </Field>
        </div>
      </fieldset>
      {conflict && (
        <div className="notice notice-warn" role="alert" data-conflict>
          <p>
            <strong>This rule was changed by someone else</strong> since you opened it (you edited version {base?.version}). Reload it to see the
            current version; your unsaved changes here will be lost.
          </p>
          <button type="button" className="btn btn-primary" onClick={() => void reload()}>
            Reload rule
          </button>
        </div>
      )}
      {error && (
        <div className="notice notice-error" role="alert" data-testid="rule-problems">
          <p>
            <strong>Could not save the rule:</strong> {error}
          </p>
          {problems.length > 0 && (
            <ul>
              {problems.map((p, i) => (
                <li key={i}>
                  {p.path ? <code>{p.path}</code> : "Rule"}: {p.msg}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || conflict}>
          {busy ? "Saving…" : base ? "Save new version" : "Create rule"}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
