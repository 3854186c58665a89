// Predictive maintenance ("/maintenance"): fleet health (health index, remaining useful life, failure
// probability) with each machine's history, recommendations (accept → work order, dismiss), work orders,
// and the model registry with risk policies. Everyone with maintenance:read can look; admins, engineers and
// maintenance decide recommendations, run work orders and set policies; admins and engineers manage models.
// URL: ?tab=health|recommendations|work-orders|models, &machine=<id> (health panel), &wo=<id> (a work order).
import { useEffect } from "react";
import { useSearchParams } from "react-router-dom";
import { getSession } from "../api/client";
import { useAuth } from "../auth";
import { canWriteMaintenance, canWriteModels } from "./maintenance/api";
import { HealthTab } from "./maintenance/HealthTab";
import { ModelsTab } from "./maintenance/ModelsTab";
import { RecommendationsTab } from "./maintenance/RecommendationsTab";
import { TabList, TabPanel, type TabDef } from "../components/Tabs";
import { useMaintenanceBasics } from "./maintenance/useMaintenanceBasics";
import { WorkOrdersTab } from "./maintenance/WorkOrdersTab";
import "../styles-pages.css";
import "./maintenance/maintenance.css";
import "./maintenance/maintenance-tables.css";

type Tab = "health" | "recommendations" | "work-orders" | "models";
const TABS: TabDef<Tab>[] = [
  { key: "health", label: "Health" },
  { key: "recommendations", label: "Recommendations" },
  { key: "work-orders", label: "Work orders" },
  { key: "models", label: "Models" },
];
const isTab = (t: string | null): t is Tab => TABS.some((x) => x.key === t);

export function Maintenance() {
  const { session } = useAuth();
  const user = (session ?? getSession())?.user;
  const role = user?.role;
  const canWrite = canWriteMaintenance(role);
  const me = user ? { id: user.id, name: user.full_name || user.email } : null;
  const basics = useMaintenanceBasics(role === "admin", user?.id);
  const [params, setParams] = useSearchParams();
  const raw = params.get("tab");
  const tab: Tab = isTab(raw) ? raw : "health";

  useEffect(() => {
    document.title = "Maintenance · MIP";
  }, []);

  function show(t: Tab, extra: Record<string, string> = {}) {
    setParams(t === "health" ? extra : { tab: t, ...extra }, { replace: true });
  }

  return (
    <section className="pg-page mnt-page" aria-labelledby="mnt-title">
      <header className="page-head">
        <h1 id="mnt-title">Maintenance</h1>
      </header>
      <p className="muted small">
        Predictive maintenance: each machine's health and remaining useful life from the active models, the recommendations they raise and
        the work orders that follow.
        {!canWrite && " You can read everything here; deciding recommendations and work orders needs an administrator, engineer or maintenance role."}
      </p>
      <TabList id="mnt" label="Maintenance views" tabs={TABS} active={tab} onChange={(t) => show(t)} />
      <TabPanel id="mnt" tab="health" active={tab === "health"}>
        <HealthTab
          basics={basics}
          canWrite={canWrite}
          selected={params.get("machine")}
          onSelect={(id) => show("health", id ? { machine: id } : {})}
          onShowModels={() => show("models")}
        />
      </TabPanel>
      <TabPanel id="mnt" tab="recommendations" active={tab === "recommendations"}>
        <RecommendationsTab basics={basics} canWrite={canWrite} me={me} users={basics.users} onShowModels={() => show("models")} />
      </TabPanel>
      <TabPanel id="mnt" tab="work-orders" active={tab === "work-orders"}>
        <WorkOrdersTab basics={basics} canWrite={canWrite} me={me} users={basics.users} focusId={params.get("wo")} />
      </TabPanel>
      <TabPanel id="mnt" tab="models" active={tab === "models"}>
        <ModelsTab basics={basics} canWriteModels={canWriteModels(role)} canWritePolicies={canWrite} />
      </TabPanel>
    </section>
  );
}
