// Shared by the planning page tests. Import "../shared/testing" FIRST in the test file.
import { route, TENANT, USERS } from "../shared/testing";
import { render } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { setSession } from "../../api/client";
import { AuthProvider } from "../../auth";
import { Planning } from "../Planning";
import type { CostRollup, Explosion, ExplosionRow, Item, MrpRun, Supply, WhereUsed } from "./api";

export type User = (typeof USERS)[keyof typeof USERS];
export const P = "/api/v1/planning";
export const PLANNER: User = { ...USERS.admin, id: "00000000-0000-0000-0000-0000000000f6", full_name: "Sam Supply", email: "sam@plant.example", role: "supply_chain" };

export function signIn(user: User) {
  setSession({ accessToken: "acc", refreshToken: "ref", expiresAt: Date.now() + 3_600_000, user });
}

export function item(id: string, part: string, over: Partial<Item> = {}): Item {
  return {
    id,
    part_number: part,
    description: "",
    make_buy: "make",
    uom: "ea",
    lead_time_days: 2,
    standard_cost: 0,
    safety_stock: 0,
    on_hand: 0,
    itar: false,
    version: 1,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...over,
  };
}

export const ITEMS = [item("i-pump", "PUMP-100", { description: "Centrifugal pump" }), item("i-housing", "HOUSING"), item("i-oring", "O-RING", { make_buy: "buy" })];

function row(level: number, part: string, path: string, over: Partial<ExplosionRow> = {}): ExplosionRow {
  return {
    level,
    path,
    item_id: `i-${part.toLowerCase()}`,
    part_number: part,
    description: "",
    make_buy: "make",
    uom: "ea",
    qty_per: 1,
    scrap_pct: 0,
    extended_qty: 1,
    phantom: false,
    bom_revision: "A",
    ref_des: "",
    substitutes: [],
    ...over,
  };
}

export function explosion(asOf = "2026-03-02"): Explosion {
  return {
    part_number: "PUMP-100",
    revision: null,
    as_of: asOf,
    quantity: 1,
    rows: [
      row(1, "HOUSING", "PUMP-100 / HOUSING"),
      row(2, "CASTING", "PUMP-100 / HOUSING / CASTING", { make_buy: "buy", scrap_pct: 5, extended_qty: 1.0526315789 }),
      row(1, "SEAL-KIT", "PUMP-100 / SEAL-KIT", { phantom: true }),
      row(1, "O-RING", "PUMP-100 / O-RING", {
        make_buy: "buy",
        qty_per: 4,
        scrap_pct: 10,
        extended_qty: 4.4444444,
        ref_des: "S1-S4",
        substitutes: [{ item_id: "i-v", part_number: "O-RING-V", priority: 1 }],
      }),
    ],
    summary: [
      { item_id: "i-casting", part_number: "CASTING", make_buy: "buy", uom: "ea", total_qty: 1.0526315789 },
      { item_id: "i-housing", part_number: "HOUSING", make_buy: "make", uom: "ea", total_qty: 1 },
      { item_id: "i-o-ring", part_number: "O-RING", make_buy: "buy", uom: "ea", total_qty: 4.4444444 },
    ],
  };
}

export const WHERE_USED: WhereUsed = { part_number: "PUMP-100", as_of: "2026-03-02", rows: [] };

export const COST: CostRollup = {
  part_number: "PUMP-100",
  as_of: "2026-03-02",
  lot_size: 1,
  unit_material: 80.5,
  unit_labour: 45.25,
  unit_cost: 125.75,
  cumulative_lead_time_days: 15,
  critical_path: ["PUMP-100", "HOUSING", "CASTING"],
  tree: {
    part_number: "PUMP-100",
    make_buy: "make",
    quantity: 1,
    material: 80.5,
    labour: 45.25,
    total: 125.75,
    lead_time_days: 2,
    cumulative_lead_time_days: 15,
    children: [
      {
        part_number: "HOUSING",
        make_buy: "make",
        quantity: 1,
        material: 44.1,
        labour: 20,
        total: 64.1,
        lead_time_days: 3,
        cumulative_lead_time_days: 13,
        children: [
          { part_number: "CASTING", make_buy: "buy", quantity: 1.05, material: 44.1, labour: 0, total: 44.1, lead_time_days: 10, cumulative_lead_time_days: 10, children: [] },
        ],
      },
    ],
  },
};

export function supply(id: string, number: string, over: Partial<Supply> = {}): Supply {
  return {
    id,
    number,
    kind: "make",
    item_id: "i-housing",
    part_number: "HOUSING",
    quantity: 16,
    start_date: "2026-03-05",
    due_date: "2026-03-08",
    status: "planned",
    source: "mrp",
    mrp_run_id: "run-1",
    priority: 0,
    material_available_at: null,
    version: 1,
    pegging: [],
    ...over,
  };
}

export const SUPPLY: Supply[] = [
  supply("s-1", "WO-00001", {
    part_number: "PUMP-100",
    pegging: [{ quantity: 5, required_date: "2026-03-16", demand_order_id: "d-1", demand_order_no: "SO-1001", parent_supply_id: null, parent_number: null, safety_stock: false, top_orders: ["SO-1001"] }],
  }),
  supply("s-2", "PR-00002", {
    kind: "buy",
    part_number: "CASTING",
    pegging: [
      { quantity: 12, required_date: "2026-03-05", demand_order_id: null, demand_order_no: null, parent_supply_id: "s-1", parent_number: "WO-00001", safety_stock: false, top_orders: ["SO-1001", "SO-1002"] },
      { quantity: 5, required_date: "2026-03-02", demand_order_id: null, demand_order_no: null, parent_supply_id: null, parent_number: null, safety_stock: true, top_orders: [] },
    ],
  }),
];

export function run(id: string, number: number, over: Partial<MrpRun> = {}): MrpRun {
  return {
    id,
    number,
    run_by: null,
    as_of: "2026-03-02",
    started_at: "2026-03-02T08:00:00Z",
    inputs: { open_demand_orders: 3, items: 12 },
    outputs: { planned_work_orders: 4, purchase_requisitions: 6, pegs: 20, exceptions: 1 },
    exceptions: [{ kind: "past_due", part_number: "CASTING", message: "CASTING: needed 2026-03-05, lead time 10 d: start is in the past", date: "2026-02-23" }],
    ...over,
  };
}

/** A supply-chain planner; the demo pump with its BOM, cost, one MRP run and two supply orders. */
export function servePlanning(opts: { supply?: Supply[]; runs?: MrpRun[] } = {}) {
  signIn(PLANNER);
  route("GET", "/api/v1/tenant", TENANT);
  route("GET", `${P}/items`, ({ url }) => {
    const q = (url.searchParams.get("q") ?? "").toUpperCase();
    const items = ITEMS.filter((i) => i.part_number.includes(q));
    return { items, total: items.length, limit: 200, offset: 0 };
  });
  route("GET", /^\/api\/v1\/planning\/items\/[^/]+$/, ({ path }) => ITEMS.find((i) => path.endsWith(i.id)));
  route("GET", /\/explode$/, ({ url }) => explosion(url.searchParams.get("as_of") ?? ""));
  route("GET", /\/where-used$/, WHERE_USED);
  route("GET", /\/cost$/, COST);
  route("GET", `${P}/supply-orders`, { items: opts.supply ?? SUPPLY });
  route("GET", `${P}/mrp/runs`, { items: opts.runs ?? [run("run-1", 1)] });
}

export function renderPlanning(path = "/planning") {
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={[path]}>
        <Planning />
      </MemoryRouter>
    </AuthProvider>,
  );
}
