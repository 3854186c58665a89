// My quiet hours: from / to (local time in a zone) on some weekdays, non-safety notifications are held back.
// Safety alarms always come through.
import { useEffect, useState, type FormEvent } from "react";
import { validTimeZone } from "../../lib/time";
import { ApiProblem } from "../shared/ApiProblem";
import { ConfirmButton } from "../shared/ConfirmButton";
import { DaysField } from "../shared/DaysField";
import { deleteQuietHours, getQuietHours, putQuietHours, type QuietHours } from "./api";

const LABELS = { start: "From", end: "Until", timezone: "Time zone", days: "Days" };
const zones: string[] = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];

export function QuietHoursSection({ defaultTz, onNotice }: { defaultTz: string; onNotice(m: string): void }) {
  const [current, setCurrent] = useState<QuietHours | null | undefined>(undefined); // undefined: loading
  const [start, setStart] = useState("22:00");
  const [end, setEnd] = useState("06:00");
  const [tz, setTz] = useState(defaultTz);
  const [days, setDays] = useState<number[]>([1, 2, 3, 4, 5, 6, 7]);
  const [enabled, setEnabled] = useState(true);
  const [invalid, setInvalid] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  function show(q: QuietHours | null) {
    setCurrent(q);
    if (!q) return;
    setStart(q.start.slice(0, 5));
    setEnd(q.end.slice(0, 5));
    setTz(q.timezone);
    setDays(q.days);
    setEnabled(q.enabled);
  }

  useEffect(() => {
    let alive = true;
    getQuietHours()
      .then((q) => alive && show(q))
      .catch((e) => {
        if (!alive) return;
        setError(e);
        setCurrent(null);
      });
    return () => {
      alive = false;
    };
  }, []);
  useEffect(() => {
    if (current === null) setTz(defaultTz); // the tenant's zone arrived after the (empty) answer
  }, [current, defaultTz]);

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!start || !end) return setInvalid("Enter when quiet hours start and end.");
    if (validTimeZone(tz.trim(), "") !== tz.trim() || !tz.trim()) return setInvalid("Enter an IANA time zone, e.g. Europe/Berlin.");
    if (days.length === 0) return setInvalid("Pick at least one day.");
    setInvalid(null);
    setBusy(true);
    try {
      show(await putQuietHours({ start, end, timezone: tz.trim(), days, enabled }));
      onNotice("Quiet hours saved.");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel pg-card" aria-labelledby="quiet-title">
      <h2 id="quiet-title">Quiet hours</h2>
      <p className="notice notice-warn nf-safety-note" role="note">
        <strong>Safety alarms always come through</strong>, also during quiet hours. Quiet hours hold back all other
        alarm notifications.
      </p>
      {current === undefined && <p className="muted">Loading…</p>}
      {current && (
        <p className={current.active_now ? "pg-ok" : "muted"}>
          {!current.enabled ? "Quiet hours are switched off." : current.active_now ? "Quiet hours are on right now." : "Quiet hours are set, not active right now."}
        </p>
      )}
      {current === null && <p className="muted">No quiet hours set: you are notified at any time.</p>}
      <form className="nf-form" aria-label="Quiet hours" onSubmit={(e) => void save(e)} noValidate>
        <div className="nf-grid">
          <div className="field">
            <label htmlFor="quiet-start">From</label>
            <input id="quiet-start" type="time" value={start} onChange={(e) => setStart(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="quiet-end">Until</label>
            <input id="quiet-end" type="time" value={end} onChange={(e) => setEnd(e.target.value)} aria-describedby="quiet-end-hint" />
            <span id="quiet-end-hint" className="muted small">
              Before the start: runs over midnight
            </span>
          </div>
          <div className="field">
            <label htmlFor="quiet-tz">Time zone</label>
            <input id="quiet-tz" list="quiet-tz-list" value={tz} onChange={(e) => setTz(e.target.value)} autoComplete="off" />
            <datalist id="quiet-tz-list">
              {zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </div>
        </div>
        <DaysField id="quiet-days" legend="On" value={days} onChange={setDays} />
        <label className="pg-check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Quiet hours on
        </label>
        {invalid && (
          <p className="form-error" role="alert">
            {invalid}
          </p>
        )}
        <div className="pg-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? "Saving…" : "Save quiet hours"}
          </button>
          {current && (
            <ConfirmButton
              label="Remove"
              subject="my quiet hours"
              onConfirm={async () => {
                setError(null);
                try {
                  await deleteQuietHours();
                  setCurrent(null);
                  onNotice("Quiet hours removed.");
                } catch (err) {
                  setError(err);
                }
              }}
            />
          )}
        </div>
        <ApiProblem error={error} action="Quiet hours" labels={LABELS} />
      </form>
    </section>
  );
}
