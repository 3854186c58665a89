// A machine's downtime intervals (idle and down inside shift time) over the window; operators give each a
// reason code, or withdraw their own entry.
import { Fragment, useRef, useState } from "react";
import { formatDateTime } from "../../lib/time";
import { formatDuration } from "../../lib/zoned";
import { ApiProblem } from "../shared/ApiProblem";
import { deleteEntry, type Interval, type Reason } from "./api";
import { ClassifyForm } from "./ClassifyForm";
import { STATE_ICON, STATE_TEXT } from "./format";

interface Props {
  machineId: string;
  items: Interval[];
  reasons: Reason[];
  tz: string;
  canWrite: boolean;
  onChanged(message: string): void;
}

const COLUMNS = ["From", "To", "Duration", "State", "Reason"];

export function DowntimeList({ machineId, items, reasons, tz, canWrite, onChanged }: Props) {
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const openers = useRef(new Map<string, HTMLButtonElement>());
  const close = (key: string) => {
    setOpen(null);
    requestAnimationFrame(() => openers.current.get(key)?.focus());
  };

  async function undo(iv: Interval) {
    if (!iv.entry_id) return;
    setError(null);
    try {
      await deleteEntry(iv.entry_id);
      onChanged("Operator entry withdrawn.");
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="panel oee-downtime" aria-labelledby="oee-downtime-title">
      <h2 id="oee-downtime-title">Downtime</h2>
      <ApiProblem error={error} action="Could not withdraw the entry" />
      {items.length === 0 ? (
        <p className="muted">No downtime in this range.</p>
      ) : (
        <div className="table-wrap">
          <table className="table card-table" data-testid="downtime-table">
            <caption className="sr-only">Downtime intervals (plant time, {tz})</caption>
            <thead>
              <tr>
                {[...COLUMNS, ...(canWrite ? ["Actions"] : [])].map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items.map((iv) => {
                const key = `${iv.start}-${iv.end}`;
                const from = formatDateTime(iv.start, tz);
                const short = (t: string) => formatDateTime(t, tz).slice(5, 16); // "03-02 09:33"
                return (
                  <Fragment key={key}>
                    <tr data-testid="downtime-row">
                      <td className="nowrap" data-label="From">
                        <time dateTime={iv.start} title={from}>
                          {short(iv.start)}
                        </time>
                      </td>
                      <td className="nowrap" data-label="To">
                        <time dateTime={iv.end} title={formatDateTime(iv.end, tz)}>
                          {short(iv.end)}
                        </time>
                      </td>
                      <td className="num" data-label="Duration">
                        {formatDuration(iv.duration_s)}
                      </td>
                      <td className={`oee-state-cell state-${iv.state}`} data-label="State">
                        <span aria-hidden="true">{STATE_ICON[iv.state]} </span>
                        {STATE_TEXT[iv.state]}
                      </td>
                      <td data-label="Reason">
                        {iv.reason_name ?? iv.reason_code ?? <span className="muted">Not classified</span>}
                        {iv.note && <span className="muted"> · {iv.note}</span>}
                      </td>
                      {canWrite && (
                        <td data-label="Actions">
                          <div className="pg-actions">
                            <button
                              type="button"
                              className="btn btn-small"
                              ref={(el) => {
                                if (el) openers.current.set(key, el);
                              }}
                              aria-expanded={open === key}
                              onClick={() => setOpen(open === key ? null : key)}
                              aria-label={`${iv.reason_code ? "Change reason of" : "Classify"} downtime from ${from}`}
                            >
                              {iv.reason_code ? "Change reason" : "Classify"}
                            </button>
                            {iv.entry_id && (
                              <button type="button" className="btn btn-small" onClick={() => void undo(iv)} aria-label={`Withdraw the entry from ${from}`}>
                                Withdraw
                              </button>
                            )}
                          </div>
                        </td>
                      )}
                    </tr>
                    {open === key && (
                      <tr className="oee-form-row card-table-full">
                        <td colSpan={COLUMNS.length + 1}>
                          <ClassifyForm
                            machineId={machineId}
                            interval={iv}
                            reasons={reasons}
                            tz={tz}
                            onCancel={() => close(key)}
                            onDone={(reason) => {
                              setOpen(null);
                              onChanged(`Downtime from ${from} classified as “${reason}”.`);
                            }}
                          />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
