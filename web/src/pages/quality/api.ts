// NCR, CAPA (8D) and quality-metrics endpoints (/api/v1/quality/*) through the typed client. Response and
// body types are taken from the routes (not from schema names), so a renamed schema cannot break them.
import { api, unwrap } from "../../api/client";
import type { paths } from "../../api/schema";

type Op<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];
type Ok<O> = O extends { responses: { 200: { content: { "application/json": infer T } } } }
  ? T
  : O extends { responses: { 201: { content: { "application/json": infer T } } } }
    ? T
    : never;
type BodyOf<O> = O extends { requestBody: { content: { "application/json": infer B } } } ? B : never;

export type Ncr = Ok<Op<"/api/v1/quality/ncrs/{ncr_id}", "get">>;
export type NcrBody = BodyOf<Op<"/api/v1/quality/ncrs", "post">>;
export type NcrPatch = BodyOf<Op<"/api/v1/quality/ncrs/{ncr_id}", "patch">>;
export type DispositionBody = BodyOf<Op<"/api/v1/quality/ncrs/{ncr_id}/disposition", "post">>;
export type MrbBody = BodyOf<Op<"/api/v1/quality/ncrs/{ncr_id}/mrb", "post">>;
export type TransitionBody = BodyOf<Op<"/api/v1/quality/ncrs/{ncr_id}/transition", "post">>;
export type QualityEvent = Ok<Op<"/api/v1/quality/ncrs/{ncr_id}/events", "get">>["items"][number];
export type Capa = Ok<Op<"/api/v1/quality/capas/{capa_id}", "get">>;
export type CapaBody = BodyOf<Op<"/api/v1/quality/capas", "post">>;
export type CapaPatch = BodyOf<Op<"/api/v1/quality/capas/{capa_id}", "patch">>;
export type Metrics = Ok<Op<"/api/v1/quality/metrics", "get">>;
export type MetricValues = Metrics["totals"];
export type Ppm = Ok<Op<"/api/v1/quality/metrics/ppm", "get">>;
export type Supplier = Ok<Op<"/api/v1/quality/suppliers", "get">>[number];
export type Item = Ok<Op<"/api/v1/planning/items", "get">>["items"][number];
export type SupplyOrder = Ok<Op<"/api/v1/planning/supply-orders", "get">>["items"][number];
export type User = Ok<Op<"/api/v1/users", "get">>[number];

export type Disposition = DispositionBody["disposition"];
export type NcrStatus = "open" | "contained" | "pending_mrb" | "dispositioned" | "closed" | "cancelled";
export type CapaStatus = "open" | "implementing" | "verifying" | "closed" | "cancelled";

/** Containment action as the API stores it (NcrOut.containment is typed as free-form objects). */
export interface ContainmentAction {
  action: string;
  owner: string;
  due_date: string | null;
  done: boolean;
}

/** A D5/D7 action (CapaOut.corrective_actions / preventive_actions). */
export interface CapaAction {
  action: string;
  owner: string;
  due_date: string;
  done: boolean;
}

export interface TeamMember {
  name: string;
  role: string;
  user_id?: string | null;
}

export interface RootCause {
  method: "5why" | "fishbone";
  whys: string[];
  category: "man" | "machine" | "method" | "material" | "measurement" | "environment" | null;
  statement: string;
}

/** Quality write (NCR/CAPA edits) on the server: quality:write. */
export function canWriteQuality(role: string | undefined): boolean {
  return role === "admin" || role === "engineer" || role === "quality";
}

/** MRB approval: only users with the quality role (the API answers 403 mrb_quality_role_required). */
export function canApproveMrb(role: string | undefined): boolean {
  return role === "quality";
}

// -- NCRs --------------------------------------------------------------------------------------------------
export async function listNcrs(): Promise<Ncr[]> {
  return (await unwrap(api.GET("/api/v1/quality/ncrs", { params: { query: { limit: 1000 } } }))).items;
}

export function getNcr(id: string): Promise<Ncr> {
  return unwrap(api.GET("/api/v1/quality/ncrs/{ncr_id}", { params: { path: { ncr_id: id } } }));
}

export function createNcr(body: NcrBody): Promise<Ncr> {
  return unwrap(api.POST("/api/v1/quality/ncrs", { body }));
}

export function patchNcr(id: string, body: NcrPatch): Promise<Ncr> {
  return unwrap(api.PATCH("/api/v1/quality/ncrs/{ncr_id}", { params: { path: { ncr_id: id } }, body }));
}

export function transitionNcr(id: string, body: TransitionBody): Promise<Ncr> {
  return unwrap(api.POST("/api/v1/quality/ncrs/{ncr_id}/transition", { params: { path: { ncr_id: id } }, body }));
}

export function dispositionNcr(id: string, body: DispositionBody): Promise<Ncr> {
  return unwrap(api.POST("/api/v1/quality/ncrs/{ncr_id}/disposition", { params: { path: { ncr_id: id } }, body }));
}

export function mrbNcr(id: string, body: MrbBody): Promise<Ncr> {
  return unwrap(api.POST("/api/v1/quality/ncrs/{ncr_id}/mrb", { params: { path: { ncr_id: id } }, body }));
}

export async function ncrEvents(id: string): Promise<QualityEvent[]> {
  return (await unwrap(api.GET("/api/v1/quality/ncrs/{ncr_id}/events", { params: { path: { ncr_id: id } } }))).items;
}

// -- CAPAs -------------------------------------------------------------------------------------------------
export async function listCapas(): Promise<Capa[]> {
  return (await unwrap(api.GET("/api/v1/quality/capas", { params: { query: { limit: 1000 } } }))).items;
}

export function getCapa(id: string): Promise<Capa> {
  return unwrap(api.GET("/api/v1/quality/capas/{capa_id}", { params: { path: { capa_id: id } } }));
}

export function createCapa(body: CapaBody): Promise<Capa> {
  return unwrap(api.POST("/api/v1/quality/capas", { body }));
}

export function patchCapa(id: string, body: CapaPatch): Promise<Capa> {
  return unwrap(api.PATCH("/api/v1/quality/capas/{capa_id}", { params: { path: { capa_id: id } }, body }));
}

export function transitionCapa(id: string, body: TransitionBody): Promise<Capa> {
  return unwrap(api.POST("/api/v1/quality/capas/{capa_id}/transition", { params: { path: { capa_id: id } }, body }));
}

export async function capaEvents(id: string): Promise<QualityEvent[]> {
  return (await unwrap(api.GET("/api/v1/quality/capas/{capa_id}/events", { params: { path: { capa_id: id } } }))).items;
}

// -- metrics -----------------------------------------------------------------------------------------------
export function qualityMetrics(start: string, end: string, bucket: "day" | "week"): Promise<Metrics> {
  return unwrap(api.GET("/api/v1/quality/metrics", { params: { query: { start, end, bucket } } }));
}

export function ppmBy(by: "supplier" | "part" | "line", start: string, end: string): Promise<Ppm> {
  return unwrap(api.GET("/api/v1/quality/metrics/ppm", { params: { query: { by, start, end } } }));
}

// -- reference data (names for ids; each optional: the page works with ids when one fails) -----------------
export function listSuppliers(): Promise<Supplier[]> {
  return unwrap(api.GET("/api/v1/quality/suppliers"));
}

export async function listItems(): Promise<Item[]> {
  return (await unwrap(api.GET("/api/v1/planning/items", { params: { query: { limit: 1000 } } }))).items;
}

export async function listWorkOrders(): Promise<SupplyOrder[]> {
  return (await unwrap(api.GET("/api/v1/planning/supply-orders", { params: { query: { kind: "make" } } }))).items;
}

/** Users (administrators only; others see "you" and short ids in histories). */
export function listUsers(): Promise<User[]> {
  return unwrap(api.GET("/api/v1/users"));
}
