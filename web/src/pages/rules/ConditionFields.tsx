// The condition part of the rule form: its type and that type's parameters; for "combined", the list of
// sensor conditions that must all hold.
import { CONDITION_TYPES, OPS, type ConditionType, type Op } from "./api";
import type { Draft, Errors, TermDraft } from "./draft";
import { PARAMS, type ParamSpec } from "./fields";
import { a11y, Field, FieldError, fieldId, hintId } from "./FormBits";

interface Props {
  draft: Draft;
  errors: Errors;
  sensorNames: string[];
  set(patch: Partial<Draft>): void;
}

function ParamInput({ spec, value, error, onChange }: { spec: ParamSpec; value: string; error?: string; onChange(v: string): void }) {
  const path = `condition.${spec.key}`;
  const props = a11y(path, error, hintId(path, spec.hint));
  if (spec.kind === "op" || spec.kind === "select") {
    const options = spec.kind === "op" ? OPS.map((o) => ({ value: o, label: o })) : (spec.options ?? []);
    return (
      <select {...props} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  }
  return (
    <input
      {...props}
      type="number"
      step={spec.kind === "int" ? 1 : "any"}
      inputMode={spec.kind === "int" ? "numeric" : "decimal"}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

function Terms({ draft, errors, sensorNames, set }: Props) {
  const terms = draft.terms;
  const update = (i: number, patch: Partial<TermDraft>) => set({ terms: terms.map((t, j) => (j === i ? { ...t, ...patch } : t)) });
  const listId = "rule-term-sensors";
  return (
    <fieldset className="rule-terms">
      <legend>All of these, on the same machine</legend>
      <datalist id={listId}>
        {sensorNames.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      {terms.map((t, i) => {
        const base = `condition.all_of.${i}`;
        return (
          <div key={i} className="rule-term" role="group" aria-label={`Condition ${i + 1}`}>
            <Field path={`${base}.sensor_name`} label="Sensor name" error={errors[`${base}.sensor_name`]}>
              <input
                {...a11y(`${base}.sensor_name`, errors[`${base}.sensor_name`])}
                list={listId}
                value={t.sensor_name}
                onChange={(e) => update(i, { sensor_name: e.target.value })}
              />
            </Field>
            <Field path={`${base}.op`} label="Comparison" error={undefined}>
              <select id={fieldId(`${base}.op`)} value={t.op} onChange={(e) => update(i, { op: e.target.value as Op })}>
                {OPS.map((o) => (
                  <option key={o}>{o}</option>
                ))}
              </select>
            </Field>
            <Field path={`${base}.value`} label="Value" error={errors[`${base}.value`]}>
              <input
                {...a11y(`${base}.value`, errors[`${base}.value`])}
                type="number"
                step="any"
                inputMode="decimal"
                value={t.value}
                onChange={(e) => update(i, { value: e.target.value })}
              />
            </Field>
            <button
              type="button"
              className="btn btn-small"
              aria-label={`Remove condition ${i + 1}`}
              disabled={terms.length <= 2}
              onClick={() => set({ terms: terms.filter((_, j) => j !== i) })}
            >
              Remove
            </button>
          </div>
        );
      })}
      <FieldError path="condition.all_of" error={errors["condition.all_of"]} />
      <button
        type="button"
        className="btn btn-small"
        disabled={terms.length >= 10}
        onClick={() => set({ terms: [...terms, { sensor_name: "", op: ">", value: "" }] })}
      >
        Add condition
      </button>
    </fieldset>
  );
}

export function ConditionFields(props: Props) {
  const { draft, errors, set } = props;
  const values = draft.params[draft.type];
  const setParam = (key: string, v: string) => set({ params: { ...draft.params, [draft.type]: { ...values, [key]: v } } });
  return (
    <fieldset className="rule-section">
      <legend>Condition</legend>
      <div className="rule-grid">
        <Field path="condition.type" label="Condition type" error={errors["condition.type"]} className="rule-wide">
          <select {...a11y("condition.type", errors["condition.type"])} value={draft.type} onChange={(e) => set({ type: e.target.value as ConditionType })}>
            {CONDITION_TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </Field>
        {PARAMS[draft.type].map((spec) => (
          <Field key={`${draft.type}-${spec.key}`} path={`condition.${spec.key}`} label={spec.label} error={errors[`condition.${spec.key}`]} hint={spec.hint}>
            <ParamInput spec={spec} value={values[spec.key] ?? ""} error={errors[`condition.${spec.key}`]} onChange={(v) => setParam(spec.key, v)} />
          </Field>
        ))}
      </div>
      {draft.type === "combined" && <Terms {...props} />}
    </fieldset>
  );
}
