// Shared by the schedules page tests. Import "../shared/testing" FIRST in the test file.
import { route, TENANT, USERS } from "../shared/testing";
import { render } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { setSession } from "../../api/client";
import { AuthProvider } from "../../auth";
import { Schedules } from "../Schedules";
import type { Gantt, Late, Schedule } from "./api";

export type User = (typeof USERS)[keyof typeof USERS];
export const S = "/api/v1/schedules";
export const WO1 = "0190a000-0000-7000-8000-000000000001";
export const WO2 = "0190a000-0000-7000-8000-000000000002";

export function signIn(user: User) {
  setSession({ accessToken: "acc", refreshToken: "ref", expiresAt: Date.now() + 3_600_000, user });
}

export function schedule(id: string, over: Partial<Schedule> = {}): Schedule {
  return {
    id,
    name: "week 10",
    state: "draft",
    objective: "mix",
    solver_status: "OPTIMAL",
    source: "cp-sat",
    horizon_start: "2026-03-02T05:00:00Z", // 06:00 in Berlin
    makespan: 600,
    weighted_tardiness: 120,
    late_orders: 1,
    objective_value: 720,
    lower_bound: 720,
    seconds: 1.25,
    greedy_makespan: 720,
    greedy_weighted_tardiness: 300,
    improvement: { makespan: 120, makespan_pct: 16.67, weighted_tardiness: 180, weighted_tardiness_pct: 60 },
    parent_id: null,
    disruption: null,
    created_at: "2026-03-02T04:55:00Z",
    published_at: null,
    assignments: null,
    ...over,
  };
}

const at = (m: number) => new Date(Date.parse("2026-03-02T05:00:00Z") + m * 60_000).toISOString();
const bar = (order: string, seq: number, start: number, end: number, late = false) => ({ op: `${order}:${seq}`, order, order_name: "", op_name: "", start, end, start_at: at(start), end_at: at(end), late });

export function gantt(id: string): Gantt {
  return {
    schedule_id: id,
    horizon_start: "2026-03-02T05:00:00Z",
    makespan: 600,
    rows: [
      { machine: "m-mill", name: "Mill 1", work_center: "MACH", bars: [bar(WO1, 10, 0, 120), bar(WO2, 10, 120, 300, true)], unavailable: [{ start: 300, end: 360, reason: "maintenance" }] },
      { machine: "m-asm", name: "Assembly 1", work_center: "ASSY", bars: [bar(WO1, 20, 130, 200), bar(WO2, 20, 310, 600, true)], unavailable: [] },
    ],
  };
}

export const LATE: Late[] = [
  {
    job: WO2,
    due: 480,
    completion: 600,
    tardiness: 120,
    weight: 2,
    chain: [
      { op: `${WO2}:10`, job: WO2, machine: "m-mill", start: 120, end: 300, waits_for: "machine" },
      { op: `${WO2}:20`, job: WO2, machine: "m-asm", start: 310, end: 600, waits_for: "precedence" },
    ],
    bottlenecks: [
      ["m-asm", 290],
      ["m-mill", 180],
    ],
    summary: "…",
  },
];

/** A production planner (schedule:write); two schedules, the newest selected by default. */
export function serveSchedules(opts: { list?: Schedule[] } = {}) {
  signIn({ ...USERS.operator });
  route("GET", "/api/v1/tenant", TENANT);
  route("GET", S, { items: opts.list ?? [schedule("sch-2"), schedule("sch-1", { name: "week 9", state: "published", published_at: "2026-02-23T06:00:00Z" })], limit: 100, offset: 0 });
  route("GET", /^\/api\/v1\/schedules\/[^/]+\/gantt$/, ({ path }) => gantt(path.split("/")[4]));
  route("GET", /^\/api\/v1\/schedules\/[^/]+\/late$/, ({ path }) => ({ schedule_id: path.split("/")[4], items: LATE }));
  route("GET", "/api/v1/planning/supply-orders", {
    items: [
      { id: WO1, number: "WO-00001", part_number: "HOUSING" },
      { id: WO2, number: "WO-00002", part_number: "PUMP-100" },
    ],
  });
}

export function renderSchedules(path = "/schedules") {
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={[path]}>
        <Schedules />
      </MemoryRouter>
    </AuthProvider>,
  );
}
