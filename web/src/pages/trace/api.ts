// Traceability endpoints (/api/v1/quality/trace/*, /lots, /serials, /shipments/{id}/coc.pdf).
//
// HAND-WRITTEN TYPES — switch to the generated client after openapi.json is regenerated:
// the trace routes (src/mip/quality/trace/api_trace.py, api_records.py) were not in web/src/api/schema.d.ts
// when this page was written, so the interfaces below mirror the pydantic models of
// src/mip/quality/trace/schemas.py (TraceNode, EdgeOut, TraceOut, RecallShipment, RecallOut) by hand, and
// `getJson` calls fetch directly with the session's token. After regeneration: replace each interface with
// Schemas["…"] (e.g. `export type TraceOut = Schemas["TraceOut"]`) and each getJson(...) with
// unwrap(api.GET("/api/v1/quality/trace/backward/{node}", { params: { path: { node }, query } })).
// downloadCoc stays on fetch: the certificate is a PDF, not JSON.
import { accessToken, ApiError, getSession, setSession } from "../../api/client";

export type NodeKind = "lot" | "serial";

/** mip.quality.trace.schemas.TraceNode */
export interface TraceNode {
  id: string;
  kind: NodeKind;
  number: string;
  part_number: string;
  revision: string;
  status: string;
  itar: boolean;
  quantity: number;
  depth: number; // levels from the root (shortest path)
  supplier?: string | null;
  supplier_lot?: string | null;
  cert_ref?: string | null;
}

/** mip.quality.trace.schemas.EdgeOut: parent was made from (consumed) child. */
export interface TraceEdge {
  id: string;
  parent_id: string;
  parent_kind: NodeKind;
  child_id: string;
  child_kind: NodeKind;
  quantity: number;
  work_order_id: string | null;
  at: string;
}

export type Direction = "backward" | "forward";

/** mip.quality.trace.schemas.TraceOut */
export interface TraceOut {
  root: TraceNode;
  direction: Direction;
  nodes: TraceNode[];
  edges: TraceEdge[];
  node_count: number;
  edge_count: number;
  restricted_nodes: number; // ITAR nodes reached that the caller may not see
  max_depth: number;
  truncated: boolean; // the walk hit the depth limit
  itar: boolean;
  marking: string | null;
  elapsed_ms: number;
}

/** mip.quality.trace.schemas.RecallShipment */
export interface RecallShipment {
  shipment_id: string;
  shipment_number: string;
  customer: string;
  customer_po: string;
  ship_date: string; // date
  node_kind: NodeKind;
  node_id: string;
  number: string;
  part_number: string;
  quantity: number;
  depth: number;
  itar: boolean;
}

/** mip.quality.trace.schemas.RecallOut */
export interface RecallOut {
  suspect: TraceNode;
  shipments: RecallShipment[];
  customers: string[];
  shipment_count: number;
  affected_nodes: number;
  restricted_nodes: number;
  in_house_count: number;
  in_house: TraceNode[];
  itar: boolean;
  marking: string | null;
}

/** The API's maximum depth (genealogy.MAX_DEPTH). */
export const MAX_DEPTH = 1000;

type Query = Record<string, string | number | undefined | null>;

function url(path: string, query: Query = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return `${globalThis.location?.origin ?? ""}${path}${s ? `?${s}` : ""}`;
}

async function send(path: string, query: Query): Promise<Response> {
  const token = await accessToken();
  let res: Response;
  try {
    res = await fetch(url(path, query), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch (e) {
    throw new ApiError(0, "network_error", `Cannot reach MIP: ${(e as Error).message}`);
  }
  if (res.status === 401 && getSession()) setSession(null);
  if (!res.ok) {
    let problem: { code?: string; title?: string; detail?: unknown } = {};
    try {
      problem = (await res.json()) as typeof problem;
    } catch {
      /* not JSON */
    }
    const msg = typeof problem.detail === "string" ? problem.detail : (problem.title ?? `HTTP ${res.status}`);
    throw new ApiError(res.status, problem.code ?? "http_error", msg, problem.detail, problem);
  }
  return res;
}

async function getJson<T>(path: string, query: Query = {}): Promise<T> {
  return (await (await send(path, query)).json()) as T;
}

const enc = encodeURIComponent;

export function trace(direction: Direction, node: string, partNumber: string, maxDepth: number): Promise<TraceOut> {
  return getJson(`/api/v1/quality/trace/${direction}/${enc(node)}`, { part_number: partNumber || undefined, max_depth: maxDepth });
}

export function recall(node: string, partNumber: string): Promise<RecallOut> {
  return getJson(`/api/v1/quality/trace/recall/${enc(node)}`, { part_number: partNumber || undefined });
}

/** The filename of a Content-Disposition header, else a fallback. */
export function filenameOf(disposition: string | null, fallback: string): string {
  const m = disposition ? /filename="?([^";]+)"?/i.exec(disposition) : null;
  return m ? m[1] : fallback;
}

export interface CocFile {
  blob: Blob;
  filename: string;
  exportControl: string | null; // X-Export-Control (the ITAR marking) when the certificate is controlled
}

/** GET /shipments/{id}/coc.pdf?serial=… (issued once per distinct content and stored as a coc document). */
export async function fetchCoc(shipmentId: string, serial: string): Promise<CocFile> {
  const res = await send(`/api/v1/quality/shipments/${enc(shipmentId)}/coc.pdf`, { serial });
  return { blob: await res.blob(), filename: filenameOf(res.headers.get("content-disposition"), `coc-${serial}.pdf`), exportControl: res.headers.get("x-export-control") };
}
