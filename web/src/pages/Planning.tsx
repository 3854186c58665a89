// Planning ("/planning"): the BOM explorer (indented multi-level BOM, requirements, where-used, cost and
// cumulative lead time on an effectivity date) and MRP (runs, exceptions, supply orders with pegging).
// Everyone can read; running MRP needs planning:write (admin, engineer, production, supply chain).
// URL: ?tab=bom|mrp, &item=<id>, &as_of=YYYY-MM-DD.
import { useEffect } from "react";
import { useSearchParams } from "react-router-dom";
import { getSession } from "../api/client";
import { useAuth } from "../auth";
import { useTenant } from "../lib/tenant";
import { validTimeZone } from "../lib/time";
import { localDate } from "../lib/zoned";
import { TabList, TabPanel, type TabDef } from "../components/Tabs";
import { canWritePlanning } from "./planning/api";
import { BomExplorer } from "./planning/BomExplorer";
import { MrpTab } from "./planning/MrpTab";
import "../styles-pages.css";
import "./maintenance/maintenance.css";
import "./shared/forms.css";
import "./planning/planning.css";

type Tab = "bom" | "mrp";
const TABS: TabDef<Tab>[] = [
  { key: "bom", label: "BOM explorer" },
  { key: "mrp", label: "MRP" },
];
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function Planning() {
  const { session } = useAuth();
  const role = (session ?? getSession())?.user.role;
  const tenant = useTenant();
  const tz = validTimeZone(tenant?.timezone);
  const today = localDate(Date.now(), tz);
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get("tab") === "mrp" ? "mrp" : "bom";
  const rawAsOf = params.get("as_of");
  const asOf = rawAsOf && DATE_RE.test(rawAsOf) ? rawAsOf : today;

  useEffect(() => {
    document.title = "Planning · MIP";
  }, []);

  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  }

  return (
    <section className="pg-page pl-page" aria-labelledby="pl-title">
      <header className="page-head">
        <h1 id="pl-title">Planning</h1>
      </header>
      <p className="muted small">
        Bills of materials on any effectivity date, and material requirements planning with pegging from every planned order back to the demand
        that caused it. Dates are plant dates ({tz}).
      </p>
      <TabList id="pl" label="Planning views" tabs={TABS} active={tab} onChange={(t) => update({ tab: t === "bom" ? null : t })} />
      <TabPanel id="pl" tab="bom" active={tab === "bom"}>
        <div className="mnt-tab-body">
          <BomExplorer itemId={params.get("item")} asOf={asOf} onSelect={(id) => update({ item: id })} onAsOf={(d) => update({ as_of: d })} />
        </div>
      </TabPanel>
      <TabPanel id="pl" tab="mrp" active={tab === "mrp"}>
        <MrpTab canWrite={canWritePlanning(role)} today={today} tz={tz} />
      </TabPanel>
    </section>
  );
}
