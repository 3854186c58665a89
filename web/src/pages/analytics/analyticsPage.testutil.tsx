// Shared by the analytics page tests. Import "../shared/testing" FIRST in the test file (the fetch stub
// must be installed before the API client loads).
import { route, TENANT, USERS } from "../shared/testing";
import { render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { setSession } from "../../api/client";
import { AuthProvider } from "../../auth";
import { Analytics } from "../Analytics";
import type { DatasetStatus, LakeStatus, QueryResult, SavedQuery, TableInfo } from "./api";

export type User = (typeof USERS)[keyof typeof USERS];
export const ENGINEER: User = { ...USERS.admin, id: "00000000-0000-0000-0000-0000000000e4", full_name: "Emil Engineer", email: "emil@plant.example", role: "engineer" };
export const A = "/api/v1/analytics";

export function signIn(user: User) {
  setSession({ accessToken: "acc", refreshToken: "ref", expiresAt: Date.now() + 3_600_000, user });
}

export const TABLES: TableInfo[] = [
  {
    name: "readings_1m",
    kind: "lake",
    description: "per-minute rollups of every sensor",
    time_column: "bucket",
    columns: [
      { name: "sensor_id", type: "VARCHAR" },
      { name: "bucket", type: "TIMESTAMP WITH TIME ZONE" },
      { name: "sum", type: "DOUBLE" },
      { name: "count", type: "BIGINT" },
    ],
  },
  { name: "alarms", kind: "lake", description: "alarms", time_column: "ts", columns: [{ name: "ts", type: "TIMESTAMP WITH TIME ZONE" }, { name: "severity", type: "VARCHAR" }] },
  { name: "sensors", kind: "dimension", description: "the tenant's sensors", time_column: null, columns: [{ name: "id", type: "VARCHAR" }, { name: "path", type: "VARCHAR" }] },
];

export function result(over: Partial<QueryResult> = {}): QueryResult {
  const rows = over.rows ?? [
    ["2026-03-02T09:00:00+00:00", "Press 1/temp", 71.25, 60],
    ["2026-03-02T09:00:00+00:00", "Press 2/temp", 65.5, 60],
    ["2026-03-02T10:00:00+00:00", "Press 1/temp", 72, 60],
    ["2026-03-02T10:00:00+00:00", "Press 2/temp", null, 0],
  ];
  return {
    columns: [
      { name: "hour", type: "TIMESTAMP WITH TIME ZONE" },
      { name: "sensor", type: "VARCHAR" },
      { name: "avg_value", type: "DOUBLE" },
      { name: "n", type: "BIGINT" },
    ],
    rows,
    row_count: rows.length,
    truncated: false,
    max_rows: 1000,
    elapsed_ms: 312.4,
    scanned_bytes: 3 * 1024 * 1024,
    start: "2026-02-23T10:00:00Z",
    end: "2026-03-02T10:00:00Z",
    tables: ["readings_1m", "sensors"],
    ...over,
  };
}

export function savedQuery(id: string, over: Partial<SavedQuery> = {}): SavedQuery {
  return {
    id,
    tenant_id: TENANT.id,
    name: `query ${id}`,
    description: "",
    sql: "select count(*) as n from alarms",
    parameters: [],
    owner_id: ENGINEER.id,
    created_at: "2026-03-01T08:00:00Z",
    updated_at: "2026-03-01T08:00:00Z",
    ...over,
  };
}

export function dataset(name: string, over: Partial<DatasetStatus> = {}): DatasetStatus {
  return {
    dataset: name,
    description: `${name} data`,
    data_class: "rollup",
    newest_ts: new Date(Date.now() - 90 * 60_000).toISOString(),
    freshness_lag_s: 5400,
    exported_through: new Date(Date.now() - 60 * 60_000).toISOString(),
    oldest_day: "2026-01-01",
    rows: 123456,
    files: 12,
    bytes: 5 * 1024 * 1024,
    last_commit_at: new Date(Date.now() - 10 * 60_000).toISOString(),
    last_run_at: new Date(Date.now() - 5 * 60_000).toISOString(),
    last_error: null,
    ...over,
  };
}

export function lake(over: Partial<LakeStatus> = {}): LakeStatus {
  return { tenant_id: TENANT.id, lake_url: "file:///var/lib/mip/lake", key: "present", shredded_at: null, datasets: [dataset("readings_1m")], ...over };
}

/** An engineer; tables, no saved queries unless given, a fresh lake. Clears the stored editor drafts. */
export function serveAnalytics(opts: { user?: User; saved?: SavedQuery[]; tables?: TableInfo[] } = {}) {
  localStorage.clear();
  signIn(opts.user ?? ENGINEER);
  route("GET", "/api/v1/tenant", TENANT);
  route("GET", `${A}/tables`, { items: opts.tables ?? TABLES });
  route("GET", `${A}/saved-queries`, { items: opts.saved ?? [] });
  route("GET", "/api/v1/lake/status", lake());
  route("GET", `${A}/catalog`, (c: { url: URL }) => ({
    engine: c.url.searchParams.get("engine") ?? "athena",
    location: "file:///var/lib/mip/lake",
    ddl: `-- ${c.url.searchParams.get("engine")} DDL\nCREATE EXTERNAL TABLE readings_1m (...)`,
  }));
}

export function renderAnalytics(path = "/analytics") {
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={[path]}>
        <Analytics />
      </MemoryRouter>
    </AuthProvider>,
  );
}

export const editor = () => screen.getByRole("textbox", { name: "SQL" }) as HTMLTextAreaElement;
export const runButton = () => screen.getByRole("button", { name: /^(Run query|Running…)$/ });
