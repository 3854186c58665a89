// Shared by the maintenance page tests. Import "../shared/testing" FIRST in the test file (the fetch stub
// must be installed before the API client loads).
import { route, TENANT, USERS } from "../shared/testing";
import { render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { setSession } from "../../api/client";
import { AuthProvider } from "../../auth";
import { Maintenance } from "../Maintenance";
import type { Asset, Health, Model, Policy, Recommendation, WorkOrder } from "./api";

export type User = (typeof USERS)[keyof typeof USERS];
export const ENGINEER: User = { ...USERS.admin, id: "00000000-0000-0000-0000-0000000000e4", full_name: "Emil Engineer", email: "emil@plant.example", role: "engineer" };
export const MECHANIC: User = { ...USERS.admin, id: "00000000-0000-0000-0000-0000000000d5", full_name: "Mia Mechanic", email: "mia@plant.example", role: "maintenance" };
export const M = "/api/v1/maintenance";

export function signIn(user: User) {
  setSession({ accessToken: "acc", refreshToken: "ref", expiresAt: Date.now() + 3_600_000, user });
}

function asset(id: string, kind: Asset["kind"], path: string, parent: string | null, over: Partial<Asset> = {}): Asset {
  return {
    id,
    kind,
    path,
    name: path.split("/").pop() ?? path,
    parent_id: parent,
    tenant_id: TENANT.id,
    timezone: null,
    description: "",
    attributes: {},
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...over,
  };
}

export const ASSETS: Asset[] = [
  asset("site-1", "site", "Berlin", null, { timezone: "Europe/Berlin" }),
  asset("line-1", "line", "Berlin/Line A", "site-1"),
  asset("m1", "machine", "Berlin/Line A/Press 1", "line-1", { attributes: { machine_class: "press" } }),
  asset("m2", "machine", "Berlin/Line A/Press 2", "line-1", { attributes: { machine_class: "press" } }),
  asset("m3", "machine", "Berlin/Line A/Lathe 1", "line-1", { attributes: { machine_class: "lathe" } }),
];

export function health(machine: string, over: Partial<Health> = {}): Health {
  return {
    machine_id: machine,
    model_id: "mod-2",
    health_index: 80,
    rul_hours: 600,
    rul_days: 25,
    failure_probability: 0.05,
    horizon_hours: 168,
    data_until: "2026-03-02T09:00:00Z",
    details: { cap_hours: 720, rows: 400 },
    scored_at: "2026-03-02T09:15:00Z",
    ...over,
  };
}

export function model(id: string, over: Partial<Model> = {}): Model {
  return {
    id,
    name: "rul-press",
    kind: "rul",
    machine_class: "press",
    version: 1,
    status: "candidate",
    metrics: { folds: 5, truncated: { rmse: 41.25, mae: 30.5 } },
    config: {},
    training_data: { source: "rollup_1h of the machines of class 'press'", rows: 4200, lives: 6, failures: 4, machines: ["m1", "m2"] },
    trained_by: ENGINEER.id,
    artifact_sha256: "abc",
    artifact_bytes: 1000,
    artifact_path: null,
    retrain_every_days: null,
    next_retrain_at: null,
    promoted_at: null,
    retired_at: null,
    created_at: "2026-02-01T08:00:00Z",
    updated_at: "2026-02-01T08:00:00Z",
    ...over,
  };
}

export const MODELS: Model[] = [
  model("mod-2", { version: 2, status: "active", created_at: "2026-02-20T08:00:00Z" }),
  model("mod-1", { version: 1, status: "retired", created_at: "2026-02-01T08:00:00Z" }),
  model("mod-3", { version: 3, status: "candidate", created_at: "2026-03-01T08:00:00Z", metrics: { folds: 5, truncated: { rmse: 36, mae: 28 } } }),
];

export function rec(id: string, over: Partial<Recommendation> = {}): Recommendation {
  return {
    id,
    machine_id: "m2",
    model_id: "mod-2",
    reason: "predicted_failure",
    status: "open",
    message: "Press 2: predicted remaining life 4.2 days, failure probability within 7 days 63%",
    health_index: 23.5,
    rul_hours: 100,
    failure_probability: 0.634,
    triggers: [
      { metric: "failure_probability", value: 0.634, threshold: 0.5, horizon_hours: 168 },
      { metric: "rul_hours", value: 100, threshold: 336 },
    ],
    work_order_id: null,
    decided_by: null,
    decided_at: null,
    created_at: "2026-03-02T09:15:00Z",
    updated_at: "2026-03-02T09:15:00Z",
    ...over,
  };
}

export function workOrder(id: string, over: Partial<WorkOrder> = {}): WorkOrder {
  return {
    id,
    number: 1,
    machine_id: "m1",
    title: "Replace bearing",
    description: "",
    kind: "corrective",
    priority: "medium",
    status: "open",
    due_date: null,
    assigned_to: null,
    reason: null,
    recommendation_id: null,
    failed_at: null,
    created_by: ENGINEER.id,
    started_at: null,
    completed_at: null,
    created_at: "2026-03-01T07:00:00Z",
    updated_at: "2026-03-01T07:00:00Z",
    ...over,
  };
}

export const POLICIES: Policy[] = [
  { machine_class: "*", failure_probability_threshold: 0.5, rul_threshold_hours: 336, horizon_hours: 168, auto_work_order: true, snooze_hours: 72, updated_at: "2026-02-01T08:00:00Z" },
];

const page = <T,>(items: T[]) => ({ items, limit: 500, offset: 0 });

/** An engineer; a site in Berlin with three machines, their health, models, one open recommendation, a policy. */
export function serveMaintenance(opts: { health?: Health[]; models?: Model[]; recs?: Recommendation[]; orders?: WorkOrder[] } = {}) {
  signIn(ENGINEER);
  route("GET", "/api/v1/tenant", TENANT);
  route("GET", "/api/v1/assets", { items: ASSETS, total: ASSETS.length, limit: 1000, offset: 0 });
  route("GET", "/api/v1/users", [USERS.admin, ENGINEER, MECHANIC, USERS.viewer]);
  route("GET", `${M}/health`, { items: opts.health ?? [health("m1")] });
  route("GET", `${M}/models`, { ...page(opts.models ?? MODELS), limit: 1000 });
  route("GET", `${M}/recommendations`, page(opts.recs ?? [rec("rec-1")]));
  route("GET", `${M}/work-orders`, page(opts.orders ?? []));
  route("GET", `${M}/policies`, { items: POLICIES });
}

export function renderMaintenance(path = "/maintenance") {
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={[path]}>
        <Maintenance />
      </MemoryRouter>
    </AuthProvider>,
  );
}

export const rowOf = (name: string | RegExp) => screen.getByRole("row", { name: typeof name === "string" ? new RegExp(`^${name}`) : name });
export const tab = (name: string) => screen.getByRole("tab", { name });
