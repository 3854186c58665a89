// Analytics ("/analytics"): read-only SQL over the tenant's lake data (DuckDB on the server) with a table
// browser, examples, saved queries with parameters, results as a table or a line chart; and the lake's
// status with the catalog DDL for the customer's own engine. Needs analytics:query (every role but viewer).
// URL: ?tab=query|lake.
import { useEffect } from "react";
import { useSearchParams } from "react-router-dom";
import { getSession } from "../api/client";
import { useAuth } from "../auth";
import { validTimeZone } from "../lib/time";
import { useTenant } from "../lib/tenant";
import { canQuery } from "./analytics/api";
import { CatalogExport } from "./analytics/CatalogExport";
import { LakeStatusPanel } from "./analytics/LakeStatusPanel";
import { QueryWorkspace } from "./analytics/QueryWorkspace";
import { TabList, TabPanel, type TabDef } from "./analytics/Tabs";
import "../styles-pages.css";
import "./analytics/analytics.css";

type Tab = "query" | "lake";
const TABS: TabDef<Tab>[] = [
  { key: "query", label: "Query" },
  { key: "lake", label: "Lake status & catalog" },
];

export function Analytics() {
  const { session } = useAuth();
  const user = (session ?? getSession())?.user ?? null;
  const tenant = useTenant();
  const timeZone = validTimeZone(tenant?.timezone);
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get("tab") === "lake" ? "lake" : "query";

  useEffect(() => {
    document.title = "Analytics · MIP";
  }, []);

  if (!canQuery(user?.role)) {
    return (
      <section className="pg-page an-page" aria-labelledby="an-title">
        <h1 id="an-title">Analytics</h1>
        <p className="notice" role="alert">
          Analytics needs the administrator, engineer, production, quality, supply chain or maintenance role; yours is {user?.role ?? "unknown"}. Ask an administrator
          for access.
        </p>
      </section>
    );
  }
  return (
    <section className="pg-page an-page" aria-labelledby="an-title">
      <header className="page-head">
        <h1 id="an-title">Analytics</h1>
        <p className="muted small">
          Read-only SQL (DuckDB) over your plant's data lake: readings and their rollups, alarms and OEE, joined with sensors and assets.
        </p>
      </header>
      <TabList id="an" label="Analytics views" tabs={TABS} active={tab} onChange={(t) => setParams(t === "query" ? {} : { tab: t }, { replace: true })} />
      <TabPanel id="an" tab="query" active={tab === "query"}>
        <QueryWorkspace key={user?.id} user={user} timeZone={timeZone} />
      </TabPanel>
      <TabPanel id="an" tab="lake" active={tab === "lake"}>
        {tab === "lake" && (
          <div className="an-lake-tab">
            <LakeStatusPanel timeZone={timeZone} />
            <CatalogExport />
          </div>
        )}
      </TabPanel>
    </section>
  );
}
