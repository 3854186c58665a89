// Risk policies per machine class ('*' is the tenant default; built-in values apply without one).
import { useRef, useState } from "react";
import { formatDateTime } from "../../lib/time";
import { listPolicies, type Policy, type PolicyBody } from "./api";
import { formatHorizon, formatHours, formatProbability } from "./format";
import { DEFAULT_POLICY, PolicyForm } from "./PolicyForm";
import { LoadError, Loading, Notice } from "./States";
import type { Basics } from "./useMaintenanceBasics";
import { useResource } from "./useResource";

interface Props {
  basics: Basics;
  canWrite: boolean;
}

export function policySummary(p: PolicyBody): string {
  return (
    `Recommend when the failure probability within ${formatHorizon(p.horizon_hours)} is above ${formatProbability(p.failure_probability_threshold)}` +
    ` or the remaining life is below ${formatHours(p.rul_threshold_hours)}; ` +
    `${p.auto_work_order ? "opens a work order automatically" : "no automatic work order"}; snooze ${formatHours(p.snooze_hours)} after a dismissal.`
  );
}

const className = (c: string) => (c === "*" ? "All classes (tenant default)" : c);

export function PoliciesSection({ basics, canWrite }: Props) {
  const policies = useResource(listPolicies);
  // null: nothing open; "": the new-policy form (no class is empty); else the class being edited
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const items = policies.data ? [...policies.data].sort((a, b) => (a.machine_class === "*" ? -1 : b.machine_class === "*" ? 1 : a.machine_class.localeCompare(b.machine_class))) : null;
  const hasDefault = items?.some((p) => p.machine_class === "*") ?? false;

  function saved(p: Policy) {
    policies.set((cur) => [...cur.filter((x) => x.machine_class !== p.machine_class), p]);
    setEditing(null);
    setNotice(`Policy for ${className(p.machine_class)} saved.`);
  }
  const close = () => {
    setEditing(null);
    requestAnimationFrame(() => addButton.current?.focus());
  };

  return (
    <section className="mnt-policies" aria-labelledby="mnt-policies-title">
      <div className="pg-toolbar">
        <h2 id="mnt-policies-title">Risk policies</h2>
        {canWrite && (
          <button ref={addButton} type="button" className="btn" onClick={() => setEditing("")} disabled={editing === ""}>
            Add policy
          </button>
        )}
      </div>
      <p className="muted small">
        When a machine's score raises a recommendation, per machine class. A class without its own policy uses the tenant default (*)
        {hasDefault ? "." : `, else the built-in one: ${policySummary(DEFAULT_POLICY)}`}
      </p>
      {notice && <Notice>{notice}</Notice>}
      {editing === "" && (
        <div className="panel pg-card">
          <h3>New risk policy</h3>
          <PolicyForm machineClass={null} initial={DEFAULT_POLICY} classes={basics.classes} onSaved={saved} onCancel={close} />
        </div>
      )}
      {policies.error && <LoadError what="risk policies" error={policies.error} onRetry={policies.reload} />}
      {items === null && !policies.error && <Loading what="risk policies" />}
      {items?.length === 0 && <p className="pg-empty">No policies yet: every class uses the built-in policy.</p>}
      {!!items?.length && (
        <ul className="mnt-policy-list">
          {items.map((p) => (
            <li key={p.machine_class} className="panel mnt-policy" aria-labelledby={`policy-${p.machine_class}-title`}>
              <div className="pg-card-head">
                <h3 id={`policy-${p.machine_class}-title`}>{className(p.machine_class)}</h3>
                {canWrite && editing !== p.machine_class && (
                  <button type="button" className="btn btn-small" onClick={() => setEditing(p.machine_class)} aria-label={`Edit policy for ${className(p.machine_class)}`}>
                    Edit
                  </button>
                )}
              </div>
              {editing === p.machine_class ? (
                <PolicyForm machineClass={p.machine_class} initial={p} classes={basics.classes} onSaved={saved} onCancel={() => setEditing(null)} />
              ) : (
                <p className="small">
                  {policySummary(p)}
                  {p.updated_at && <span className="muted"> Updated {formatDateTime(p.updated_at, basics.tenantTz)}.</span>}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
