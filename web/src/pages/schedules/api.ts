// Scheduling endpoints (/api/v1/schedules/*) through the typed client, and the planning supply orders whose
// numbers name the schedule's jobs (a schedule built from planning data uses work-order ids as job ids).
import { api, unwrap, type Schemas } from "../../api/client";

export type Schedule = Schemas["ScheduleOut"];
export type Gantt = Schemas["GanttOut"];
export type GanttRow = Schemas["GanttRow"];
export type GanttBar = Schemas["GanttBar"];
export type Late = Schemas["LateOut"];
export type SolveBody = Schemas["SolveIn"];
export type RescheduleBody = Schemas["RescheduleIn"];
export type Objective = SolveBody["objective"];

export const OBJECTIVES: { value: Objective; label: string }[] = [
  { value: "mix", label: "Balanced (makespan + weighted tardiness)" },
  { value: "weighted_tardiness", label: "On-time delivery (weighted tardiness)" },
  { value: "makespan", label: "Shortest makespan" },
];

/** Solve, publish and reschedule (schedule:write on the server). */
export function canWriteSchedules(role: string | undefined): boolean {
  return role === "admin" || role === "production";
}

export async function listSchedules(): Promise<Schedule[]> {
  return (await unwrap(api.GET("/api/v1/schedules", { params: { query: { limit: 100 } } }))).items;
}

export function getGantt(id: string): Promise<Gantt> {
  return unwrap(api.GET("/api/v1/schedules/{schedule_id}/gantt", { params: { path: { schedule_id: id } } }));
}

export async function listLate(id: string): Promise<Late[]> {
  const page = await unwrap(api.GET("/api/v1/schedules/{schedule_id}/late", { params: { path: { schedule_id: id }, query: { limit: 200 } } }));
  // bottlenecks are [machine, minutes] pairs (a tuple in the API; openapi-typescript widens it to arrays)
  return page.items.map((l) => ({ ...l, bottlenecks: l.bottlenecks.map(([m, n]) => [String(m), Number(n)] as [string, number]) }));
}

export function solve(body: Partial<SolveBody>): Promise<Schedule> {
  return unwrap(api.POST("/api/v1/schedules", { body: body as SolveBody }));
}

export function publish(id: string): Promise<Schedule> {
  return unwrap(api.POST("/api/v1/schedules/{schedule_id}/publish", { params: { path: { schedule_id: id } } }));
}

export function reschedule(id: string, body: Partial<RescheduleBody>): Promise<Schedule> {
  return unwrap(api.POST("/api/v1/schedules/{schedule_id}/reschedule", { params: { path: { schedule_id: id } }, body: body as RescheduleBody }));
}

/** Work-order id → number ("WO-00012"), to name planning-built jobs; empty when planning is not readable. */
export async function orderNames(): Promise<Map<string, string>> {
  const page = await unwrap(api.GET("/api/v1/planning/supply-orders", { params: { query: { kind: "make" } } }));
  return new Map(page.items.map((s) => [s.id, `${s.number} (${s.part_number})`]));
}
