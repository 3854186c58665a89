// Shared by the OEE page tests. Import "../shared/testing" FIRST in the test file (the fetch stub must be
// installed before the API client loads).
import { route, TENANT, USERS, type FetchCall } from "../shared/testing";
import { render } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { setSession } from "../../api/client";
import { AuthProvider } from "../../auth";
import { Oee } from "../Oee";
import type { Asset, Figures, Interval, MachineOee, Pareto, Reason, Timeline } from "./api";

export type User = (typeof USERS)[keyof typeof USERS];
export const ENGINEER: User = { ...USERS.admin, id: "00000000-0000-0000-0000-0000000000e4", full_name: "Emil Engineer", role: "engineer" };

export function signIn(user: User) {
  setSession({ accessToken: "acc", refreshToken: "ref", expiresAt: Date.now() + 3_600_000, user });
}

function asset(id: string, kind: Asset["kind"], path: string, timezone: string | null = null): Asset {
  return {
    id,
    kind,
    path,
    name: path.split("/").pop() ?? path,
    parent_id: null,
    tenant_id: TENANT.id,
    timezone,
    description: "",
    attributes: {},
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
  };
}

export const SITE = asset("site-1", "site", "Berlin", "Europe/Berlin");
export const LINE = asset("line-1", "line", "Berlin/Line A");
export const MACHINE = asset("m1", "machine", "Berlin/Line A/Press 1");

export const FIGURES: Figures = {
  availability: 0.9,
  performance: 0.8,
  quality: 0.95,
  oee: 0.684,
  performance_raw: 0.8,
  performance_capped: false,
  shift_time_s: 28_800,
  planned_stop_time_s: 1_800,
  planned_time_s: 27_000,
  run_time_s: 24_300,
  idle_time_s: 1_200,
  down_time_s: 1_500,
  total_count: 1_000,
  good_count: 950,
  reject_count: 50,
  ideal_run_time_s: 19_440,
};

const H = 3_600_000;
export const FROM = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 8 * H).toISOString();
export const TO = new Date(Date.parse(FROM) + 10 * H).toISOString(); // ends in the future: timelines stop at now

export function machineOee(over: Partial<MachineOee> = {}): MachineOee {
  return {
    machine_id: "m1",
    name: "Press 1",
    path: MACHINE.path,
    configured: true,
    timezone: "Europe/Berlin",
    from: FROM,
    to: TO,
    totals: FIGURES,
    by_shift: [{ ...FIGURES, shift_id: "sh-1", name: "Early", day: "2026-03-02", start: FROM, end: TO }],
    by_day: [{ ...FIGURES, day: "2026-03-02" }],
    rolled_up_s: 0,
    live_s: 28_800,
    ...over,
  };
}

export const DOWN: Interval = {
  start: new Date(Date.parse(FROM) + 2 * H).toISOString(),
  end: new Date(Date.parse(FROM) + 2 * H + 25 * 60_000).toISOString(),
  duration_s: 1_500,
  state: "down",
  source: "signal",
  reason_code: null,
  reason_name: null,
  reason_category: null,
  entry_id: null,
  planned_stop_id: null,
  note: "",
};

export const TIMELINE: Timeline = {
  machine_id: "m1",
  configured: true,
  from: FROM,
  to: TO,
  intervals: [
    { ...DOWN, state: "running", start: FROM, end: DOWN.start, duration_s: 7_200 },
    DOWN,
    { ...DOWN, state: "running", start: DOWN.end, end: new Date(Date.parse(FROM) + 8 * H).toISOString(), duration_s: 20_700 },
  ],
};

export const PARETO: Pareto = {
  from: FROM,
  to: TO,
  total_s: 2_700,
  items: [
    { reason_code: "tool_change", reason_name: "Tool change", category: "unplanned", duration_s: 1_800, occurrences: 2, share: 2 / 3, cumulative_share: 2 / 3 },
    { reason_code: null, reason_name: "unclassified", category: null, duration_s: 900, occurrences: 1, share: 1 / 3, cumulative_share: 1 },
  ],
};

export const REASONS: Reason[] = [
  { id: "r1", code: "tool_change", name: "Tool change", category: "unplanned", description: "", created_at: FROM, updated_at: FROM },
  { id: "r2", code: "break", name: "Break", category: "planned", description: "", created_at: FROM, updated_at: FROM },
];

/** An engineer; one site, line and machine with OEE figures, a timeline with one downtime, a Pareto. */
export function serveOee() {
  signIn(ENGINEER);
  route("GET", "/api/v1/tenant", TENANT);
  route("GET", "/api/v1/assets", (c: FetchCall) => {
    const kind = c.url.searchParams.get("kind");
    const items = [SITE, LINE, MACHINE].filter((a) => a.kind === kind);
    return { items, total: items.length, limit: 1000, offset: 0 };
  });
  route("GET", "/api/v1/oee/reasons", REASONS);
  route("GET", "/api/v1/oee/machines/m1", machineOee());
  route("GET", "/api/v1/oee/machines/m1/states", TIMELINE);
  route("GET", "/api/v1/oee/machines/m1/downtime", { machine_id: "m1", from: FROM, to: TO, items: [DOWN] });
  route("GET", "/api/v1/oee/pareto", PARETO);
}

export function renderOee(path = "/oee?machine=m1") {
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={[path]}>
        <Oee />
      </MemoryRouter>
    </AuthProvider>,
  );
}
