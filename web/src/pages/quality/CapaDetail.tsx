// One CAPA as an 8D form: D1 team … D8 closure, linked NCRs, the effectiveness check, status moves and
// history. Saving sends only what changed, with the version shown (409 version_conflict → Reload); closing
// without a passed effectiveness check is refused by the API (409 capa_effectiveness_not_passed), explained.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { formatDateTime } from "../../lib/time";
import { localDate } from "../../lib/zoned";
import { capaEvents, getCapa, patchCapa, transitionCapa, type Capa, type CapaStatus, type Ncr } from "./api";
import { draftOf, draftProblems, patchOf, type Draft } from "./capaDraft";
import { ActionsEditor, RootCauseEditor, TeamEditor } from "./CapaSections";
import { CAPA_STATUS_LABEL, CAPA_TRANSITIONS, capaStatusLabel, isCapaStatus, ncrStatusLabel } from "./format";
import { History } from "./History";
import { ActionError, LoadError, Loading } from "./States";
import { useAction } from "./useAction";
import type { QualityBasics } from "./useQualityBasics";
import { useResource } from "./useResource";

interface Props {
  id: string;
  basics: QualityBasics;
  ncrs: Ncr[];
  canWrite: boolean;
  now: number;
  closeHref: string;
  ncrHref(id: string): string;
  onChanged(c: Capa): void;
}

const MOVE_LABEL: Record<CapaStatus, string> = {
  open: "Reopen",
  implementing: "Start implementing",
  verifying: "Verify effectiveness",
  closed: "Close CAPA",
  cancelled: "Cancel CAPA",
};

export function CapaDetail({ id, basics, ncrs, canWrite, now, closeHref, ncrHref, onChanged }: Props) {
  const capa = useResource(() => getCapa(id), id);
  const events = useResource(() => capaEvents(id), id);
  const { tz } = basics;
  const base = useMemo(() => (capa.data ? draftOf(capa.data, tz) : null), [capa.data, tz]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [comment, setComment] = useState("");
  const [saved, setSaved] = useState(false);
  const [touched, setTouched] = useState(false);
  const action = useAction();
  const { clear } = action;
  const hid = useId();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    setDraft(base);
    setTouched(false);
  }, [base]);
  useEffect(() => clear(), [id, clear]);
  useEffect(() => {
    if (capa.data?.id === id) heading.current?.focus();
  }, [capa.data?.id, id]);

  if (capa.error) return <LoadError what="the CAPA" error={capa.error} onRetry={capa.reload} />;
  if (!capa.data || !draft || !base) return <Loading what="the CAPA" />;
  const c = capa.data;
  const d = draft;
  const editable = canWrite && c.status !== "closed" && c.status !== "cancelled";
  const body = patchOf(base, d, c.version, tz);
  const problems = draftProblems(d, tz);
  const today = localDate(now, tz);
  const moves = isCapaStatus(c.status) ? CAPA_TRANSITIONS[c.status] : [];
  const linkable = ncrs.filter((n) => d.ncr_ids.includes(n.id) || (n.status !== "closed" && n.status !== "cancelled"));

  function reload() {
    clear();
    setSaved(false);
    capa.reload();
    events.reload();
  }
  function update(m: Partial<Draft>) {
    setSaved(false);
    setDraft({ ...d, ...m });
  }
  function done(out: Capa) {
    capa.set(out);
    events.reload();
    onChanged(out);
  }
  async function save(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!body || problems.length) return;
    const out = await action.run(`Could not save ${c.capa_number}`, () => patchCapa(c.id, body));
    if (out) {
      done(out);
      setSaved(true);
    }
  }
  async function move(to: CapaStatus) {
    const out = await action.run(`Could not move ${c.capa_number} to ${capaStatusLabel(to)}`, () => transitionCapa(c.id, { to, comment: comment.trim(), expected_version: c.version }));
    if (out) {
      done(out);
      setComment("");
    }
  }

  return (
    <article className="panel qa-detail" aria-labelledby={`${hid}-h`} data-testid="capa-detail">
      <div className="pg-card-head">
        <h2 id={`${hid}-h`} ref={heading} tabIndex={-1}>
          <span className="pg-mono">{c.capa_number}</span> {c.title}
        </h2>
        <Link to={closeHref} className="btn btn-small">
          Close details
        </Link>
      </div>
      <p>
        <span className={`badge qa-status qa-status-${c.status}`}>{capaStatusLabel(c.status)}</span>{" "}
        <span className="muted small">
          version {c.version} · opened {formatDateTime(c.created_at, tz)} by {basics.userName(c.created_by)}
          {c.closed_at && ` · closed ${formatDateTime(c.closed_at, tz)} by ${basics.userName(c.closed_by)}`}
        </span>
      </p>

      <ActionError error={action.error} action={action.failed} onReload={reload} label={capaStatusLabel} />

      {canWrite && moves.length > 0 && (
        <div className="qa-transitions" role="group" aria-label="Status">
          <label htmlFor={`${hid}-tc`}>Comment for the status change (optional)</label>
          <input id={`${hid}-tc`} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={4000} />
          <div className="pg-actions">
            {moves.map((m) => (
              <button key={m} type="button" className={m === "cancelled" ? "btn btn-small" : "btn btn-primary btn-small"} disabled={action.busy || body !== null} onClick={() => void move(m)}>
                {MOVE_LABEL[m] ?? CAPA_STATUS_LABEL[m]}
              </button>
            ))}
          </div>
          {body !== null && <p className="muted small">Save or discard your changes before changing the status.</p>}
          {moves.includes("closed") && base.effectiveness_result !== "passed" && (
            <p className="muted small">Closing needs a passed effectiveness check (date and result “Passed”, saved).</p>
          )}
          {moves.includes("verifying") && base.corrective_actions.length === 0 && <p className="muted small">Verification needs at least one corrective action (D5).</p>}
        </div>
      )}
      {!canWrite && <p className="muted small">You can read this CAPA; changing it needs an administrator, engineer or quality role.</p>}

      <form className="qa-8d" aria-label={`8D of ${c.capa_number}`} onSubmit={(e) => void save(e)}>
        <fieldset className="qa-d" disabled={!editable}>
          <legend>Summary and linked NCRs</legend>
          <label>
            Title
            <input value={d.title} onChange={(e) => update({ title: e.target.value })} maxLength={300} />
          </label>
          <fieldset className="qa-ncr-links">
            <legend className="small">Linked NCRs</legend>
            {linkable.length === 0 && <p className="pg-empty">No open NCRs to link.</p>}
            {linkable.map((n) => (
              <label key={n.id} className="pg-check qa-check">
                <input
                  type="checkbox"
                  checked={d.ncr_ids.includes(n.id)}
                  onChange={(e) => update({ ncr_ids: e.target.checked ? [...d.ncr_ids, n.id] : d.ncr_ids.filter((x) => x !== n.id) })}
                />
                <span className="pg-mono">{n.ncr_number}</span> {n.title} <span className="muted small">({ncrStatusLabel(n.status)})</span>
              </label>
            ))}
          </fieldset>
          {c.ncr_ids.length > 0 && (
            <p className="small">
              Open:{" "}
              {c.ncr_ids.map((nid, i) => (
                <span key={nid}>
                  {i > 0 && ", "}
                  <Link to={ncrHref(nid)}>{ncrs.find((n) => n.id === nid)?.ncr_number ?? `NCR ${nid.slice(0, 8)}`}</Link>
                </span>
              ))}
            </p>
          )}
        </fieldset>
        <TeamEditor team={d.team} onChange={(team) => update({ team })} disabled={!editable} />
        <fieldset className="qa-d" disabled={!editable}>
          <legend>D2 · Problem description</legend>
          <label>
            What, where, when, how many
            <textarea value={d.problem} onChange={(e) => update({ problem: e.target.value })} rows={3} maxLength={20000} />
          </label>
        </fieldset>
        <fieldset className="qa-d" disabled={!editable}>
          <legend>D3 · Containment</legend>
          <label>
            Interim containment actions
            <textarea value={d.containment} onChange={(e) => update({ containment: e.target.value })} rows={2} maxLength={20000} />
          </label>
        </fieldset>
        <RootCauseEditor value={d.root_cause} onChange={(root_cause) => update({ root_cause })} disabled={!editable} />
        <ActionsEditor legend="D5 · Corrective actions" noun="corrective action" actions={d.corrective_actions} onChange={(a) => update({ corrective_actions: a })} disabled={!editable} today={today} />
        <fieldset className="qa-d" disabled={!editable}>
          <legend>D6 · Implementation</legend>
          <label>
            How the corrective actions were implemented
            <textarea value={d.implementation} onChange={(e) => update({ implementation: e.target.value })} rows={2} maxLength={20000} />
          </label>
          <label>
            Implemented at (plant time)
            <input type="datetime-local" value={d.implemented_at} onChange={(e) => update({ implemented_at: e.target.value })} />
          </label>
        </fieldset>
        <ActionsEditor legend="D7 · Preventive actions" noun="preventive action" actions={d.preventive_actions} onChange={(a) => update({ preventive_actions: a })} disabled={!editable} today={today} />
        <fieldset className={`qa-d qa-eff qa-eff-${base.effectiveness_result || "none"}`} disabled={!editable}>
          <legend>Effectiveness check</legend>
          <div className="qa-form-row">
            <label>
              Checked on
              <input type="date" value={d.effectiveness_date} onChange={(e) => update({ effectiveness_date: e.target.value })} />
            </label>
            <label>
              Result
              <select value={d.effectiveness_result} onChange={(e) => update({ effectiveness_result: e.target.value as Draft["effectiveness_result"] })}>
                <option value="">Not checked</option>
                <option value="passed">Passed</option>
                <option value="failed">Failed</option>
              </select>
            </label>
          </div>
          <label>
            Evidence and notes
            <textarea value={d.effectiveness_notes} onChange={(e) => update({ effectiveness_notes: e.target.value })} rows={2} maxLength={20000} />
          </label>
          {c.effectiveness_checked_by && <p className="muted small">Checked by {basics.userName(c.effectiveness_checked_by)}.</p>}
          {base.effectiveness_result === "failed" && <p className="small">The check failed: move the CAPA back to “Implementing” and revise the actions.</p>}
        </fieldset>
        <fieldset className="qa-d" disabled={!editable}>
          <legend>D8 · Closure and recognition</legend>
          <label>
            Closure notes
            <textarea value={d.closure_notes} onChange={(e) => update({ closure_notes: e.target.value })} rows={2} maxLength={20000} />
          </label>
        </fieldset>
        {touched && problems.length > 0 && (
          <div className="notice notice-error" role="alert">
            <p>
              <strong>Cannot save yet:</strong>
            </p>
            <ul>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        )}
        {editable && (
          <div className="pg-actions qa-sticky-actions">
            <button type="submit" className="btn btn-primary" disabled={action.busy || body === null}>
              Save 8D
            </button>
            <button
              type="button"
              className="btn"
              disabled={body === null}
              onClick={() => {
                setDraft(base);
                setTouched(false);
              }}
            >
              Discard changes
            </button>
            {body === null && saved && (
              <span className="pg-ok" role="status">
                Saved.
              </span>
            )}
          </div>
        )}
      </form>
      <History events={events} tz={tz} userName={basics.userName} label={capaStatusLabel} headingId={`${hid}-hist`} />
    </article>
  );
}
