// Shared by the quality page tests. Import "../shared/testing" FIRST in the test file (the fetch stub must be
// installed before the API client loads).
import { route, TENANT, USERS } from "../shared/testing";
import { render } from "@testing-library/react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router-dom";
import { setSession } from "../../api/client";
import { AuthProvider } from "../../auth";
import { Quality } from "../Quality";
import type { Capa, Item, Metrics, Ncr, Ppm, QualityEvent, Supplier, SupplyOrder } from "./api";

export type User = (typeof USERS)[keyof typeof USERS];
export const Q = "/api/v1/quality";
export const ENGINEER: User = { ...USERS.admin, id: "00000000-0000-0000-0000-0000000000e4", full_name: "Emil Engineer", email: "emil@plant.example", role: "engineer" };
export const QUALITY: User = { ...USERS.admin, id: "00000000-0000-0000-0000-0000000000f5", full_name: "Quinn Quality", email: "quinn@plant.example", role: "quality" };

export function signIn(user: User) {
  setSession({ accessToken: "acc", refreshToken: "ref", expiresAt: Date.now() + 3_600_000, user });
}

const DAY = 86_400_000;
export const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

export const ITEMS = [{ id: "item-1", part_number: "BRK-100", description: "Bracket" }] as unknown as Item[];
export const SUPPLIERS: Supplier[] = [{ id: "sup-1", code: "ACME", name: "Acme Castings", created_at: "2026-01-01T00:00:00Z" }];
export const WORK_ORDERS = [{ id: "wo-1", number: "WO-0042", part_number: "BRK-100", kind: "make" }] as unknown as SupplyOrder[];

let seq = 0;
export function ncr(id: string, over: Partial<Ncr> = {}): Ncr {
  seq++;
  return {
    id,
    number: seq,
    ncr_number: `NCR-${String(seq).padStart(6, "0")}`,
    title: `Nonconformance ${seq}`,
    description: "",
    quantity: 10,
    item_id: "item-1",
    lots: [],
    serials: [],
    work_order_id: null,
    supplier_id: null,
    inspection_id: null,
    line_id: null,
    alert_ids: [],
    containment: [],
    status: "open",
    disposition: null,
    disposition_quantity: null,
    disposition_notes: "",
    dispositioned_by: null,
    dispositioned_at: null,
    mrb_required: false,
    mrb_approved_by: null,
    mrb_approved_at: null,
    detected_at: daysAgo(2),
    created_by: USERS.admin.id,
    version: 1,
    created_at: daysAgo(2),
    updated_at: daysAgo(2),
    capa_ids: [],
    ...over,
  };
}

export function capa(id: string, over: Partial<Capa> = {}): Capa {
  seq++;
  return {
    id,
    number: seq,
    capa_number: `CAPA-${String(seq).padStart(6, "0")}`,
    title: `Corrective action ${seq}`,
    status: "open",
    ncr_ids: [],
    team: [],
    problem: "",
    containment: "",
    root_cause: {},
    corrective_actions: [],
    implementation: "",
    implemented_at: null,
    preventive_actions: [],
    effectiveness_date: null,
    effectiveness_result: null,
    effectiveness_notes: "",
    effectiveness_checked_by: null,
    closure_notes: "",
    closed_by: null,
    closed_at: null,
    created_by: USERS.admin.id,
    version: 1,
    created_at: daysAgo(5),
    updated_at: daysAgo(5),
    ...over,
  };
}

export function event(kind: string, over: Partial<QualityEvent> = {}): QualityEvent {
  seq++;
  return { id: `ev-${seq}`, kind, from_status: null, to_status: null, actor_id: USERS.admin.id, detail: {}, at: daysAgo(1), ...over };
}

const values = (fpy: number | null) => ({
  units_inspected: 400,
  units_first_pass: 390,
  defects: 12,
  opportunities: 4000,
  defective_units: 10,
  quantity: 5000,
  scrap_quantity: 25,
  rework_quantity: 10,
  first_pass_yield: fpy,
  scrap_rate: 0.005,
  rework_rate: 0.002,
  dpmo: 3000,
  ppm: 25000,
});

export const METRICS: Metrics = {
  start: daysAgo(30),
  end: daysAgo(0),
  bucket: "day",
  totals: values(0.975),
  trend: [
    { start: daysAgo(3), ...values(0.95) },
    { start: daysAgo(2), ...values(null) },
    { start: daysAgo(1), ...values(0.99) },
  ],
};

export const PPM: Ppm = {
  start: daysAgo(30),
  end: daysAgo(0),
  by: "supplier",
  items: [
    { key: "sup-1", label: "ACME", units_inspected: 200, defective_units: 8, ppm: 40000 },
    { key: null, label: "(none)", units_inspected: 200, defective_units: 2, ppm: 10000 },
  ],
};

/** Default routes: reference data, metrics, the given NCRs and CAPAs (GET by id answers from the lists). */
export function serveQuality({ ncrs = [] as Ncr[], capas = [] as Capa[], events = [] as QualityEvent[] } = {}) {
  route("GET", "/api/v1/tenant", TENANT);
  route("GET", "/api/v1/planning/items", { items: ITEMS, total: ITEMS.length, limit: 1000, offset: 0 });
  route("GET", "/api/v1/planning/supply-orders", { items: WORK_ORDERS });
  route("GET", `${Q}/suppliers`, SUPPLIERS);
  route("GET", "/api/v1/users", [USERS.admin, ENGINEER, QUALITY]);
  route("GET", `${Q}/metrics`, METRICS);
  route("GET", `${Q}/metrics/ppm`, PPM);
  route("GET", `${Q}/ncrs`, () => ({ items: ncrs }));
  route("GET", `${Q}/capas`, () => ({ items: capas }));
  route("GET", /^\/api\/v1\/quality\/ncrs\/[^/]+$/, (c) => ncrs.find((n) => c.path.endsWith(`/${n.id}`)));
  route("GET", /^\/api\/v1\/quality\/capas\/[^/]+$/, (c) => capas.find((n) => c.path.endsWith(`/${n.id}`)));
  route("GET", /^\/api\/v1\/quality\/(ncrs|capas)\/[^/]+\/events$/, () => ({ items: events }));
}

let location = "";
function Where() {
  const l = useLocation();
  location = l.pathname + l.search;
  return null;
}
export const currentUrl = () => location;

export function renderQuality(url = "/quality") {
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={[url]}>
        <Routes>
          <Route
            path="/quality"
            element={
              <>
                <Quality />
                <Where />
              </>
            }
          />
        </Routes>
      </MemoryRouter>
    </AuthProvider>,
  );
}
