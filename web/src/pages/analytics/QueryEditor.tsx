// The SQL editor: a monospace textarea (Ctrl/Cmd+Enter runs), the $parameters the query uses, the time
// window and the row limit. Tab keeps its usual meaning (moves focus), so the editor never traps the keyboard.
import { useId, type KeyboardEvent, type Ref } from "react";
import { PARAM_TYPES, type ParamInput } from "./sql";
import { customFrom, PRESETS, type Preset, type RangeInput } from "./range";

export const MAX_ROWS_LIMIT = 100_000;

interface Props {
  sql: string;
  onSql(sql: string): void;
  textareaRef: Ref<HTMLTextAreaElement>;
  onRun(): void;
  names: string[];
  inputs: Record<string, ParamInput>;
  paramErrors: Record<string, string>;
  onParam(name: string, patch: Partial<ParamInput>): void;
  range: RangeInput;
  onRange(r: RangeInput): void;
  maxRows: string;
  onMaxRows(v: string): void;
  timeZone: string;
}

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform ?? "");

export function QueryEditor(p: Props) {
  const id = useId();
  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      p.onRun();
    }
  }
  const maxRowsBad = !/^\d+$/.test(p.maxRows.trim()) || Number(p.maxRows) < 1 || Number(p.maxRows) > MAX_ROWS_LIMIT;

  return (
    <div className="an-editor">
      <div className="field">
        <label htmlFor={`${id}-sql`}>SQL</label>
        <textarea
          id={`${id}-sql`}
          ref={p.textareaRef}
          className="an-sql"
          value={p.sql}
          onChange={(e) => p.onSql(e.target.value)}
          onKeyDown={onKeyDown}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          autoComplete="off"
          rows={12}
          aria-describedby={`${id}-sql-help`}
        />
        <p id={`${id}-sql-help`} className="muted small">
          One read-only SELECT over your datasets. {isMac ? "⌘" : "Ctrl"}+Enter runs it. Use <code>$name</code> for parameters.
        </p>
      </div>

      {p.names.length > 0 && (
        <fieldset className="an-params">
          <legend>Parameters</legend>
          {p.names.map((name) => {
            const input = p.inputs[name] ?? { type: "string", value: "" };
            const err = p.paramErrors[name];
            const valueId = `${id}-pv-${name}`;
            return (
              <div key={name} className="an-param" data-testid={`param-${name}`}>
                <div className="field">
                  <label htmlFor={valueId}>
                    <code>${name}</code>
                  </label>
                  {input.type === "boolean" ? (
                    <select id={valueId} value={input.value} onChange={(e) => p.onParam(name, { value: e.target.value })} aria-invalid={err ? true : undefined} aria-describedby={err ? `${valueId}-err` : undefined}>
                      <option value="">—</option>
                      <option value="true">yes (true)</option>
                      <option value="false">no (false)</option>
                    </select>
                  ) : (
                    <input
                      id={valueId}
                      type={input.type === "timestamp" ? "datetime-local" : "text"}
                      inputMode={input.type === "integer" ? "numeric" : input.type === "number" ? "decimal" : undefined}
                      value={input.value}
                      onChange={(e) => p.onParam(name, { value: e.target.value })}
                      aria-invalid={err ? true : undefined}
                      aria-describedby={err ? `${valueId}-err` : undefined}
                    />
                  )}
                  {input.description && <span className="muted small">{input.description}</span>}
                  {err && (
                    <span id={`${valueId}-err`} className="field-error">
                      ${name}: {err}
                    </span>
                  )}
                </div>
                <div className="field">
                  <label htmlFor={`${valueId}-type`}>Type of ${name}</label>
                  <select id={`${valueId}-type`} value={input.type} onChange={(e) => p.onParam(name, { type: e.target.value as ParamInput["type"], value: "" })}>
                    {PARAM_TYPES.map((t) => (
                      <option key={t.value} value={t.value}>
                        {t.label}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
            );
          })}
        </fieldset>
      )}

      <div className="an-options">
        <div className="field">
          <label htmlFor={`${id}-range`}>Time range</label>
          <select
            id={`${id}-range`}
            value={p.range.preset}
            onChange={(e) => {
              const preset = e.target.value as Preset;
              p.onRange(preset === "custom" ? customFrom(p.range, p.timeZone) : { ...p.range, preset });
            }}
          >
            {PRESETS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        {p.range.preset === "custom" && (
          <>
            <div className="field">
              <label htmlFor={`${id}-start`}>Start (plant time)</label>
              <input id={`${id}-start`} type="datetime-local" value={p.range.start} onChange={(e) => p.onRange({ ...p.range, start: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-end`}>End (plant time)</label>
              <input id={`${id}-end`} type="datetime-local" value={p.range.end} onChange={(e) => p.onRange({ ...p.range, end: e.target.value })} />
            </div>
          </>
        )}
        <div className="field">
          <label htmlFor={`${id}-max`}>Max rows</label>
          <input
            id={`${id}-max`}
            type="number"
            min={1}
            max={MAX_ROWS_LIMIT}
            step={1}
            inputMode="numeric"
            value={p.maxRows}
            onChange={(e) => p.onMaxRows(e.target.value)}
            aria-invalid={maxRowsBad ? true : undefined}
            aria-describedby={maxRowsBad ? `${id}-max-err` : undefined}
          />
          {maxRowsBad && (
            <span id={`${id}-max-err`} className="field-error">
              1 to {MAX_ROWS_LIMIT.toLocaleString("en-US")}
            </span>
          )}
        </div>
      </div>
      <p className="muted small">
        Lake datasets are read within the time range ({p.timeZone}); the sensors and assets tables are not time-bound.
      </p>
    </div>
  );
}
