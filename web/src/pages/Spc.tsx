// Statistical process control ("/quality/spc"): stored charts (list, create, subgroups, frozen Phase I limits,
// violations and capability) and a quick stateless chart from pasted data. Everyone can read; creating charts,
// adding subgroups and freezing limits need quality:write (admin, engineer, quality).
// URL: ?tab=charts|quick, &chart=<id>.
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { getSession } from "../api/client";
import { useAuth } from "../auth";
import { useTenant } from "../lib/tenant";
import { validTimeZone } from "../lib/time";
import { Empty, LoadError, Loading } from "./maintenance/States";
import { TabList, TabPanel, type TabDef } from "../components/Tabs";
import { useResource } from "./maintenance/useResource";
import { canWriteQuality, listCharts, typeLabel, type StoredChart } from "./spc/api";
import { ChartForm } from "./spc/ChartForm";
import { QuickChart } from "./spc/QuickChart";
import { StoredChartPanel } from "./spc/StoredChartPanel";
import "../styles-pages.css";
import "./maintenance/maintenance.css";
import "./shared/forms.css";
import "./planning/planning.css";
import "./schedules/schedules.css";
import "./spc/spc.css";

type Tab = "charts" | "quick";
const TABS: TabDef<Tab>[] = [
  { key: "charts", label: "Stored charts" },
  { key: "quick", label: "Quick chart" },
];

export function Spc() {
  const { session } = useAuth();
  const role = (session ?? getSession())?.user.role;
  const canWrite = canWriteQuality(role);
  const tenant = useTenant();
  const tz = validTimeZone(tenant?.timezone);
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get("tab") === "quick" ? "quick" : "charts";
  const charts = useResource(listCharts);
  const [creating, setCreating] = useState(false);
  const chartId = params.get("chart");
  const selected = charts.data?.find((c) => c.id === chartId) ?? (chartId ? null : (charts.data?.[0] ?? null));

  useEffect(() => {
    document.title = "SPC · MIP";
  }, []);

  function select(id: string) {
    setParams({ chart: id }, { replace: true });
  }
  function changed(c: StoredChart) {
    charts.set((cur) => (cur.some((x) => x.id === c.id) ? cur.map((x) => (x.id === c.id ? c : x)) : [c, ...cur]));
    select(c.id);
  }

  return (
    <section className="pg-page spc-page" aria-labelledby="spc-title">
      <header className="page-head">
        <h1 id="spc-title">Statistical process control</h1>
      </header>
      <p className="muted small">
        Control charts with Western Electric / Nelson rules: Phase I estimates the limits, Phase II judges new subgroups against them and raises
        alarms.{!canWrite && " Creating charts, adding subgroups and freezing limits need an administrator, engineer or quality role."}
      </p>
      <TabList id="spc" label="SPC views" tabs={TABS} active={tab} onChange={(t) => setParams(t === "quick" ? { tab: t } : {}, { replace: true })} />
      <TabPanel id="spc" tab="charts" active={tab === "charts"}>
        <div className="mnt-tab-body spc-layout">
          <aside className="panel spc-list" aria-labelledby="spc-list-title">
            <div className="pg-card-head">
              <h2 id="spc-list-title">Charts</h2>
              {canWrite && !creating && (
                <button type="button" className="btn btn-small btn-primary" onClick={() => setCreating(true)}>
                  New chart
                </button>
              )}
            </div>
            {charts.error ? (
              <LoadError what="charts" error={charts.error} onRetry={charts.reload} />
            ) : !charts.data ? (
              <Loading what="charts" />
            ) : charts.data.length === 0 ? (
              <p className="pg-empty">No stored charts yet.</p>
            ) : (
              <ul className="pl-item-list" aria-label="Charts">
                {charts.data.map((c) => (
                  <li key={c.id}>
                    <button type="button" className="pl-item" aria-current={c.id === selected?.id ? "true" : undefined} onClick={() => select(c.id)}>
                      <span className="pl-item-pn">{c.name}</span>
                      <span className="small muted">
                        {typeLabel(c.type)} · {c.source} · {c.subgroups} subgroups · {c.status === "phase2" ? "Phase II" : "Phase I"}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </aside>
          <div className="spc-main">
            {creating && (
              <ChartForm
                onCancel={() => setCreating(false)}
                onCreated={(c) => {
                  setCreating(false);
                  changed(c);
                }}
              />
            )}
            {chartId && charts.data && !selected ? (
              <p role="alert">Chart {chartId} was not found.</p>
            ) : selected ? (
              <StoredChartPanel key={selected.id} chart={selected} canWrite={canWrite} tz={tz} onChanged={changed} />
            ) : charts.data && !creating ? (
              <Empty title="No chart selected">
                <p>{canWrite ? "Create a chart, or try the quick chart with pasted data." : "Pick a chart, or try the quick chart with pasted data."}</p>
              </Empty>
            ) : null}
          </div>
        </div>
      </TabPanel>
      <TabPanel id="spc" tab="quick" active={tab === "quick"}>
        <QuickChart />
      </TabPanel>
    </section>
  );
}
