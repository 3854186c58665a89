// ISO weekday checkboxes (1 = Monday) as one labelled group.
import { WEEKDAYS } from "../../lib/zoned";
import "./forms.css";

interface Props {
  id: string;
  legend: string;
  value: number[];
  onChange(days: number[]): void;
  error?: string;
}

export function DaysField({ id, legend, value, onChange, error }: Props) {
  const toggle = (d: number, on: boolean) => onChange(on ? [...new Set([...value, d])].sort((a, b) => a - b) : value.filter((x) => x !== d));
  return (
    <fieldset id={id} tabIndex={-1} className="pg-picker days-field" aria-describedby={error ? `${id}-err` : undefined} aria-invalid={error ? true : undefined}>
      <legend>{legend}</legend>
      {WEEKDAYS.map((d) => (
        <label key={d.value}>
          <input type="checkbox" checked={value.includes(d.value)} onChange={(e) => toggle(d.value, e.target.checked)} />
          <abbr title={d.long}>{d.short}</abbr>
          <span className="sr-only"> ({d.long})</span>
        </label>
      ))}
      {error && (
        <span id={`${id}-err`} className="field-error days-error">
          {error}
        </span>
      )}
    </fieldset>
  );
}
