// Detection rules ("/rules"): the tenant's rules in words, with enable/disable, create/edit (every condition
// type), delete and each rule's version history. Everyone can read; admins and engineers can change.
// ?rule=<id> opens that rule's history (linked from an alarm's details).
import { useEffect, useMemo, useRef, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { getSession, type Schemas } from "../api/client";
import { useAuth } from "../auth";
import { useTenant } from "../lib/tenant";
import { validTimeZone } from "../lib/time";
import { listUsers } from "./alarms/api";
import { canWriteRules, type Rule } from "./rules/api";
import { RuleForm } from "./rules/RuleForm";
import { RuleHistory } from "./rules/RuleHistory";
import { RuleRow } from "./rules/RuleRow";
import { useRules } from "./rules/useRules";
import "../styles-pages.css";
import "./rules/rules.css";

type Mode = { kind: "none" } | { kind: "new" } | { kind: "edit"; id: string } | { kind: "history"; id: string };
const COLUMNS = ["Name", "Condition", "Scope", "Severity", "Enabled", "Version", "Actions"];

function useUserNames(isAdmin: boolean, myId: string | undefined): (id: string | null) => string {
  const [users, setUsers] = useState<Schemas["UserOut"][]>([]);
  useEffect(() => {
    if (!isAdmin) return;
    let alive = true;
    listUsers()
      .then((u) => alive && setUsers(u))
      .catch(() => {});
    return () => {
      alive = false;
    };
  }, [isAdmin]);
  return useMemo(() => {
    const names = new Map(users.map((u) => [u.id, u.full_name || u.email]));
    return (id: string | null) => (id === null ? "system" : (names.get(id) ?? (id === myId ? "you" : `user ${id.slice(0, 8)}`)));
  }, [users, myId]);
}

export function Rules() {
  const { session } = useAuth();
  const me = (session ?? getSession())?.user;
  const canWrite = canWriteRules(me?.role);
  const data = useRules();
  const tz = validTimeZone(useTenant()?.timezone);
  const userName = useUserNames(me?.role === "admin", me?.id);
  const [params, setParams] = useSearchParams();
  const [mode, setModeState] = useState<Mode>(() => {
    const id = params.get("rule");
    return id ? { kind: "history", id } : { kind: "none" };
  });
  const [notice, setNotice] = useState<string | null>(null);
  const panelHeading = useRef<HTMLHeadingElement>(null);
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    document.title = "Rules · MIP";
  }, []);

  function setMode(m: Mode) {
    if (m.kind !== "none") opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setModeState(m);
    setParams(m.kind === "history" ? { rule: m.id } : {}, { replace: true });
    if (m.kind === "none") requestAnimationFrame(() => opener.current?.isConnected && opener.current.focus());
    else requestAnimationFrame(() => panelHeading.current?.focus());
  }

  const rule: Rule | undefined = mode.kind === "edit" || mode.kind === "history" ? data.rules?.find((r) => r.id === mode.id) : undefined;
  const panelTitle =
    mode.kind === "new" ? "New rule" : mode.kind === "edit" ? `Edit “${rule?.name ?? "rule"}”` : mode.kind === "history" ? (rule ? `History of “${rule.name}”` : "Rule history") : "";

  return (
    <section className="pg-page rules-page" aria-labelledby="rules-title">
      <header className="page-head">
        <h1 id="rules-title">Rules</h1>
        {canWrite && (
          <button type="button" className="btn btn-primary" onClick={() => setMode({ kind: "new" })} disabled={mode.kind === "new"}>
            New rule
          </button>
        )}
      </header>
      <p className="muted small">
        Detection rules raise alarms from sensor readings. Every change is a new version.
        {!canWrite && " You can read the rules; changes need an administrator or engineer."}
      </p>
      {notice && (
        <p className="pg-ok" role="status">
          {notice}
        </p>
      )}
      {mode.kind !== "none" && (
        <div className="panel pg-card rule-panel" role="region" aria-labelledby="rule-panel-title">
          <div className="pg-card-head">
            <h2 id="rule-panel-title" ref={panelHeading} tabIndex={-1}>
              {panelTitle}
            </h2>
            <button type="button" className="btn btn-small" onClick={() => setMode({ kind: "none" })}>
              Close
            </button>
          </div>
          {(mode.kind === "new" || (mode.kind === "edit" && rule)) && (
            <RuleForm
              key={mode.kind === "edit" ? mode.id : "new"}
              rule={mode.kind === "edit" && rule ? rule : null}
              machines={data.machines}
              onCancel={() => setMode({ kind: "none" })}
              onReloaded={data.upsert}
              onSaved={(r) => {
                data.upsert(r);
                setNotice(mode.kind === "new" ? `Rule “${r.name}” created.` : `Rule “${r.name}” saved as version ${r.version}.`);
                setMode({ kind: "none" });
              }}
            />
          )}
          {mode.kind === "history" && (
            <RuleHistory ruleId={mode.id} version={rule?.version ?? 0} tz={tz} names={data.names} userName={userName} />
          )}
          {mode.kind === "history" && <p className="muted small">Times in plant time ({tz}).</p>}
        </div>
      )}
      {data.error && (
        <div className="panel error-state" role="alert">
          <p>Could not load rules: {data.error}</p>
          <button type="button" className="btn btn-primary" onClick={data.reload}>
            Retry
          </button>
        </div>
      )}
      {data.rules === null && !data.error && (
        <p className="muted" role="status">
          Loading rules…
        </p>
      )}
      {data.rules?.length === 0 && (
        <div className="panel empty-state" role="status">
          <h2>No rules yet</h2>
          <p className="muted">{canWrite ? "Create one to raise alarms from sensor readings." : "An administrator or engineer can create them."}</p>
        </div>
      )}
      {!!data.rules?.length && (
        <div className="table-wrap">
          <table className="table rules-table">
            <caption className="sr-only">Detection rules by name</caption>
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rules.map((r) => (
                <RuleRow
                  key={r.id}
                  rule={r}
                  names={data.names}
                  canWrite={canWrite}
                  selected={mode.kind !== "none" && mode.kind !== "new" && mode.id === r.id}
                  onEdit={(x) => setMode({ kind: "edit", id: x.id })}
                  onHistory={(x) => setMode({ kind: "history", id: x.id })}
                  onChanged={(x) => {
                    data.upsert(x);
                    setNotice(`Rule “${x.name}” ${x.enabled ? "enabled" : "disabled"} (version ${x.version}).`);
                  }}
                  onDeleted={(id) => {
                    data.remove(id);
                    if (mode.kind !== "none" && mode.kind !== "new" && mode.id === id) setMode({ kind: "none" });
                    setNotice("Rule deleted.");
                  }}
                  onReload={data.reload}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
