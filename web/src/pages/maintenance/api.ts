// Predictive maintenance endpoints (/api/v1/maintenance/*) through the typed client, and the types the
// maintenance page works with.
import { api, unwrap, type Schemas } from "../../api/client";

export type Health = Schemas["HealthOut"];
export type MachineHealth = Schemas["MachineHealthOut"];
export type Model = Schemas["ModelOut"];
export type TrainBody = Schemas["TrainIn"];
export type Policy = Schemas["mip__maintenance__schemas__PolicyOut"];
export type PolicyBody = Schemas["mip__maintenance__schemas__PolicyIn"];
export type Recommendation = Schemas["RecommendationOut"];
export type AcceptBody = Schemas["AcceptIn"];
export type ScoreReport = Schemas["ScoreOut"];
export type WorkOrder = Schemas["WorkOrderOut"];
export type WorkOrderBody = Schemas["WorkOrderIn"];
export type WorkOrderPatch = Schemas["WorkOrderPatch"];
export type WorkOrderStatus = WorkOrder["status"];
export type Priority = WorkOrder["priority"];
export type WorkOrderKind = WorkOrder["kind"];
export type User = Schemas["UserOut"];
export type Asset = Schemas["AssetOut"];

export const PRIORITIES: Priority[] = ["low", "medium", "high", "urgent"];
export const WO_STATUSES: WorkOrderStatus[] = ["open", "in_progress", "done", "cancelled"];
export const WO_KINDS: WorkOrderKind[] = ["corrective", "preventive", "predictive", "inspection"];

/** Status moves the API allows (open → in progress → done, or cancelled; back to open from in progress). */
export const TRANSITIONS: Record<WorkOrderStatus, WorkOrderStatus[]> = {
  open: ["in_progress", "done", "cancelled"],
  in_progress: ["open", "done", "cancelled"],
  done: [],
  cancelled: [],
};

/** Recommendations, work orders, policies and scoring (maintenance:write on the server). */
export function canWriteMaintenance(role: string | undefined): boolean {
  return role === "admin" || role === "engineer" || role === "maintenance";
}

/** Training, promoting and retiring models (models:write on the server). */
export function canWriteModels(role: string | undefined): boolean {
  return role === "admin" || role === "engineer";
}

// -- health ------------------------------------------------------------------------------------------------
export async function listHealth(): Promise<Health[]> {
  return (await unwrap(api.GET("/api/v1/maintenance/health"))).items;
}

export function machineHealth(machineId: string, limit = 100): Promise<MachineHealth> {
  return unwrap(api.GET("/api/v1/maintenance/machines/{machine_id}/health", { params: { path: { machine_id: machineId }, query: { limit } } }));
}

export function scoreNow(): Promise<ScoreReport> {
  return unwrap(api.POST("/api/v1/maintenance/score"));
}

// -- recommendations ---------------------------------------------------------------------------------------
export async function listRecommendations(): Promise<Recommendation[]> {
  return (await unwrap(api.GET("/api/v1/maintenance/recommendations", { params: { query: { limit: 500 } } }))).items;
}

export function acceptRecommendation(id: string, body: AcceptBody): Promise<WorkOrder> {
  return unwrap(api.POST("/api/v1/maintenance/recommendations/{rec_id}/accept", { params: { path: { rec_id: id } }, body }));
}

export function dismissRecommendation(id: string, note: string | null): Promise<Recommendation> {
  return unwrap(api.POST("/api/v1/maintenance/recommendations/{rec_id}/dismiss", { params: { path: { rec_id: id } }, body: { note } }));
}

// -- work orders -------------------------------------------------------------------------------------------
export interface WorkOrderFilter {
  status: WorkOrderStatus | "";
  machineId: string;
}

export async function listWorkOrders(f: WorkOrderFilter): Promise<WorkOrder[]> {
  const query = { limit: 500, ...(f.status ? { status: f.status } : {}), ...(f.machineId ? { machine_id: f.machineId } : {}) };
  return (await unwrap(api.GET("/api/v1/maintenance/work-orders", { params: { query } }))).items;
}

export function getWorkOrder(id: string): Promise<WorkOrder> {
  return unwrap(api.GET("/api/v1/maintenance/work-orders/{wo_id}", { params: { path: { wo_id: id } } }));
}

export function createWorkOrder(body: WorkOrderBody): Promise<WorkOrder> {
  return unwrap(api.POST("/api/v1/maintenance/work-orders", { body }));
}

export function patchWorkOrder(id: string, body: WorkOrderPatch): Promise<WorkOrder> {
  return unwrap(api.PATCH("/api/v1/maintenance/work-orders/{wo_id}", { params: { path: { wo_id: id } }, body }));
}

export async function deleteWorkOrder(id: string): Promise<void> {
  await unwrap(api.DELETE("/api/v1/maintenance/work-orders/{wo_id}", { params: { path: { wo_id: id } } }));
}

// -- models and policies -----------------------------------------------------------------------------------
export async function listModels(): Promise<Model[]> {
  return (await unwrap(api.GET("/api/v1/maintenance/models", { params: { query: { limit: 1000 } } }))).items;
}

export function trainModel(body: TrainBody): Promise<Model> {
  return unwrap(api.POST("/api/v1/maintenance/models/train", { body }));
}

export function promoteModel(id: string): Promise<Model> {
  return unwrap(api.POST("/api/v1/maintenance/models/{model_id}/promote", { params: { path: { model_id: id } } }));
}

export function retireModel(id: string): Promise<Model> {
  return unwrap(api.POST("/api/v1/maintenance/models/{model_id}/retire", { params: { path: { model_id: id } } }));
}

export async function listPolicies(): Promise<Policy[]> {
  return (await unwrap(api.GET("/api/v1/maintenance/policies"))).items;
}

export function putPolicy(machineClass: string, body: PolicyBody): Promise<Policy> {
  return unwrap(api.PUT("/api/v1/maintenance/policies/{machine_class}", { params: { path: { machine_class: machineClass } }, body }));
}

// -- context -----------------------------------------------------------------------------------------------
export async function listAssets(): Promise<Asset[]> {
  return (await unwrap(api.GET("/api/v1/assets", { params: { query: { limit: 1000 } } }))).items;
}

export function listUsers(): Promise<User[]> {
  return unwrap(api.GET("/api/v1/users"));
}
