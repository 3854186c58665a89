// Planning endpoints (/api/v1/planning/*) through the typed client: items, BOM explosion, where-used, cost
// rollup, supply orders with pegging and MRP runs.
import { api, unwrap, type Schemas } from "../../api/client";

export type Item = Schemas["ItemOut"];
export type Explosion = Schemas["Explosion"];
export type ExplosionRow = Schemas["ExplosionRow"];
export type SummaryRow = Schemas["SummaryRow"];
export type WhereUsed = Schemas["WhereUsed"];
export type CostRollup = Schemas["CostRollup"];
export type CostNode = Schemas["CostNode"];
export type Supply = Schemas["SupplyOut"];
export type Peg = Schemas["Peg"];
export type Demand = Schemas["DemandOut"];
export type MrpRun = Schemas["MrpRunOut"];
export type MrpException = Schemas["MrpException"];
export type SupplyStatus = Supply["status"];

export const SUPPLY_STATUSES: SupplyStatus[] = ["planned", "firm", "released", "completed", "cancelled"];

/** Items, BOMs, orders and MRP runs (planning:write on the server). */
export function canWritePlanning(role: string | undefined): boolean {
  return role === "admin" || role === "engineer" || role === "production" || role === "supply_chain";
}

export interface ItemList {
  items: Item[];
  total: number;
}

export async function listItems(q: string, limit = 200): Promise<ItemList> {
  const query = { limit, ...(q.trim() ? { q: q.trim() } : {}) };
  const page = await unwrap(api.GET("/api/v1/planning/items", { params: { query } }));
  return { items: page.items, total: page.total };
}

export function explode(itemId: string, asOf: string, quantity = 1): Promise<Explosion> {
  return unwrap(
    api.GET("/api/v1/planning/items/{item_id}/explode", {
      params: { path: { item_id: itemId }, query: { as_of: asOf, quantity, include_phantoms: true } },
    }),
  );
}

export function whereUsed(itemId: string, asOf: string): Promise<WhereUsed> {
  return unwrap(api.GET("/api/v1/planning/items/{item_id}/where-used", { params: { path: { item_id: itemId }, query: { as_of: asOf } } }));
}

export function costRollup(itemId: string, asOf: string): Promise<CostRollup> {
  return unwrap(api.GET("/api/v1/planning/items/{item_id}/cost", { params: { path: { item_id: itemId }, query: { as_of: asOf } } }));
}

export async function listSupply(status: SupplyStatus | ""): Promise<Supply[]> {
  const query = status ? { status } : {};
  return (await unwrap(api.GET("/api/v1/planning/supply-orders", { params: { query } }))).items;
}

export async function listDemand(): Promise<Demand[]> {
  return (await unwrap(api.GET("/api/v1/planning/orders"))).items;
}

export async function listRuns(limit = 20): Promise<MrpRun[]> {
  return (await unwrap(api.GET("/api/v1/planning/mrp/runs", { params: { query: { limit } } }))).items;
}

export function runMrp(asOf: string): Promise<MrpRun> {
  return unwrap(api.POST("/api/v1/planning/mrp/runs", { body: { as_of: asOf } }));
}

export function getItem(itemId: string): Promise<Item> {
  return unwrap(api.GET("/api/v1/planning/items/{item_id}", { params: { path: { item_id: itemId } } }));
}
