// Quality ("/quality"): the metrics strip (first-pass yield, scrap/rework, DPMO, PPM, PPM by supplier), the
// NCR board (kanban by workflow status; an NCR's containment, disposition, MRB decision, status moves and
// history) and CAPAs as 8D. Everyone with quality:read can look; admins, engineers and quality users change
// NCRs/CAPAs; only the quality role decides the material review board.
// URL: ?tab=ncrs|capas, &ncr=<id> / &capa=<id> (details), &new=ncr|capa (forms), &from_ncr=<id> (CAPA form).
import { useCallback, useEffect, useMemo } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { getSession } from "../api/client";
import { useAuth } from "../auth";
import { localDate } from "../lib/zoned";
import { canApproveMrb, canWriteQuality, listCapas, listNcrs, type Capa, type Ncr } from "./quality/api";
import { CapaDetail } from "./quality/CapaDetail";
import { CapaForm } from "./quality/CapaForm";
import { CapaList } from "./quality/CapaList";
import { MetricsStrip } from "./quality/MetricsStrip";
import { NcrBoard } from "./quality/NcrBoard";
import { NcrDetail } from "./quality/NcrDetail";
import { NcrForm } from "./quality/NcrForm";
import { LoadError, Loading } from "./quality/States";
import { TabList, TabPanel, type TabDef } from "../components/Tabs";
import { useQualityBasics } from "./quality/useQualityBasics";
import { useMinuteClock, useResource } from "./quality/useResource";
import "../styles-pages.css";
import "./shared/forms.css";
import "./quality/quality.css";

type Tab = "ncrs" | "capas";
const TABS: TabDef<Tab>[] = [
  { key: "ncrs", label: "NCR board" },
  { key: "capas", label: "CAPA (8D)" },
];

function upsert<T extends { id: string }>(list: T[], item: T): T[] {
  return list.some((x) => x.id === item.id) ? list.map((x) => (x.id === item.id ? item : x)) : [item, ...list];
}

export function Quality() {
  const { session } = useAuth();
  const user = (session ?? getSession())?.user;
  const role = user?.role;
  const canWrite = canWriteQuality(role);
  const me = useMemo(() => (user ? { id: user.id, role: user.role } : null), [user]);
  const basics = useQualityBasics(me);
  const now = useMinuteClock();
  const ncrs = useResource(listNcrs);
  const capas = useResource(listCapas);
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const tab: Tab = params.get("tab") === "capas" ? "capas" : "ncrs";
  const ncrId = params.get("ncr");
  const capaId = params.get("capa");
  const creating = params.get("new");

  useEffect(() => {
    document.title = "Quality · MIP";
  }, []);

  const href = useCallback((q: Record<string, string>) => `/quality?${new URLSearchParams(q).toString()}`.replace(/\?$/, ""), []);
  const ncrHref = (id: string) => href({ ncr: id });
  const capaHref = (id: string) => href({ tab: "capas", capa: id });

  function show(t: Tab) {
    setParams(t === "ncrs" ? {} : { tab: t }, { replace: true });
  }
  const ncrsChanged = (n: Ncr) => ncrs.data && ncrs.set(upsert(ncrs.data, n));
  const capasChanged = (c: Capa) => {
    if (capas.data) capas.set(upsert(capas.data, c));
    ncrs.reload(); // the NCRs' capa_ids follow the CAPA's links
  };

  return (
    <section className="pg-page qa-page" aria-labelledby="qa-title">
      <header className="page-head qa-head">
        <h1 id="qa-title">Quality</h1>
        {canWrite && (
          <div className="pg-actions">
            <button type="button" className="btn btn-primary" onClick={() => navigate(href({ new: "ncr" }))}>
              Raise NCR
            </button>
            <button type="button" className="btn" onClick={() => navigate(href({ tab: "capas", new: "capa" }))}>
              Open CAPA
            </button>
          </div>
        )}
      </header>
      <p className="muted small">
        Nonconformance reports from detection to closure, material review board decisions and 8D corrective actions.
        {!canWrite && " You can read everything here; raising and changing NCRs and CAPAs needs an administrator, engineer or quality role."}
      </p>
      <MetricsStrip />
      <TabList prefix="qa" id="qa" label="Quality views" tabs={TABS} active={tab} onChange={show} />
      <TabPanel prefix="qa" id="qa" tab="ncrs" active={tab === "ncrs"}>
        <div className="qa-tab-body">
          {canWrite && creating === "ncr" && (
            <NcrForm basics={basics} onCreated={(n) => (ncrsChanged(n), navigate(ncrHref(n.id)))} onCancel={() => navigate(href({}))} />
          )}
          {ncrs.error ? (
            <LoadError what="the NCRs" error={ncrs.error} onRetry={ncrs.reload} />
          ) : !ncrs.data ? (
            <Loading what="NCRs" />
          ) : ncrs.data.length === 0 ? (
            <div className="panel empty-state" role="status">
              <h2>No NCRs yet</h2>
              <p>Nonconformances raised here, from inspections or from alarms appear on this board.</p>
            </div>
          ) : (
            <NcrBoard ncrs={ncrs.data} basics={basics} now={now} selectedId={ncrId} hrefFor={ncrHref} />
          )}
          {ncrId && (
            <NcrDetail
              key={ncrId}
              id={ncrId}
              basics={basics}
              canWrite={canWrite}
              canApproveMrb={canApproveMrb(role)}
              now={now}
              closeHref={href({})}
              capaHref={capaHref}
              capaName={(c) => capas.data?.find((x) => x.id === c)?.capa_number ?? `CAPA ${c.slice(0, 8)}`}
              newCapaHref={href({ tab: "capas", new: "capa", from_ncr: ncrId })}
              onChanged={ncrsChanged}
            />
          )}
        </div>
      </TabPanel>
      <TabPanel prefix="qa" id="qa" tab="capas" active={tab === "capas"}>
        <div className="qa-tab-body">
          {canWrite && creating === "capa" && (
            <CapaForm
              ncrs={ncrs.data ?? []}
              preselect={params.get("from_ncr") ? [params.get("from_ncr")!] : []}
              onCreated={(c) => (capasChanged(c), navigate(capaHref(c.id)))}
              onCancel={() => navigate(href({ tab: "capas" }))}
            />
          )}
          {capas.error ? (
            <LoadError what="the CAPAs" error={capas.error} onRetry={capas.reload} />
          ) : !capas.data ? (
            <Loading what="CAPAs" />
          ) : (
            <CapaList capas={capas.data} ncrs={ncrs.data ?? []} tz={basics.tz} today={localDate(now, basics.tz)} selectedId={capaId} hrefFor={capaHref} />
          )}
          {capaId && (
            <CapaDetail
              key={capaId}
              id={capaId}
              basics={basics}
              ncrs={ncrs.data ?? []}
              canWrite={canWrite}
              now={now}
              closeHref={href({ tab: "capas" })}
              ncrHref={ncrHref}
              onChanged={capasChanged}
            />
          )}
        </div>
      </TabPanel>
    </section>
  );
}
