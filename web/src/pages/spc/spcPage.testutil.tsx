// Shared by the SPC page tests. Import "../shared/testing" FIRST in the test file.
import { route, TENANT, USERS } from "../shared/testing";
import { render } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { setSession } from "../../api/client";
import { AuthProvider } from "../../auth";
import { Spc } from "../Spc";
import type { Capability, ChartPoint, ChartView, StoredChart } from "./api";

export type User = (typeof USERS)[keyof typeof USERS];
export const Q = "/api/v1/quality/spc";
export const QUALITY: User = { ...USERS.admin, id: "00000000-0000-0000-0000-0000000000q7", full_name: "Quinn Quality", email: "quinn@plant.example", role: "quality" };

export function signIn(user: User) {
  setSession({ accessToken: "acc", refreshToken: "ref", expiresAt: Date.now() + 3_600_000, user });
}

export function stored(id: string, over: Partial<StoredChart> = {}): StoredChart {
  return {
    id,
    name: "Bore diameter",
    description: "",
    type: "xbar",
    settings: { type: "xbar", rules: "we" },
    source: "manual",
    sensor_id: null,
    machine_id: "m-1",
    subgroup_size: 5,
    window_s: null,
    severity: "minor",
    status: "phase1",
    limits: null,
    limits_version: 0,
    frozen_by: null,
    frozen_at: null,
    watermark_ts: null,
    subgroups: 6,
    created_by: null,
    created_at: "2026-03-01T08:00:00Z",
    updated_at: "2026-03-01T08:00:00Z",
    ...over,
  };
}

const pt = (i: number, value: number, phase: number, lcl: number, ucl: number, over: Partial<ChartPoint> = {}): ChartPoint => ({
  index: i,
  label: String(i + 1),
  phase,
  n: 5,
  value,
  center: 10,
  lcl,
  ucl,
  excluded: false,
  ...over,
});

export const CAPABILITY: Capability = {
  n: 30,
  mean: 10.01,
  sigma_within: 0.05,
  sigma_overall: 0.06,
  lsl: 9.8,
  usl: 10.2,
  target: null,
  confidence: 0.95,
  cp: 1.3333,
  cpk: 1.2667,
  cpm: null,
  pp: 1.1111,
  ppk: 1.0556,
  ci: { cp: [1.01, 1.65], cpk: [0.95, 1.58], cpm: null, pp: [0.85, 1.38], ppk: [0.78, 1.33] },
  ci_methods: {},
  expected_ppm_within: { below: 1, above: 2, total: 3 },
  expected_ppm_overall: { below: 5, above: 10, total: 15 },
  observed_ppm: { below: 0, above: 0, total: 0 },
};

/** Three Phase I and three Phase II points; subgroup sizes vary so the limits do too; point 5 breaks rule 1. */
export function view(over: Partial<ChartView> = {}): ChartView {
  return {
    type: "xbar",
    center: 10,
    sigma: 0.05,
    sigma_method: "rbar",
    sigmas: 3,
    constants: "exact",
    limits: { lcl: null, center: 10, ucl: null },
    points: [
      pt(0, 10.01, 1, 9.93, 10.07),
      pt(1, 9.98, 1, 9.93, 10.07, { excluded: true }),
      pt(2, 10.02, 1, 9.92, 10.08, { n: 4 }),
      pt(3, 10.03, 2, 9.93, 10.07),
      pt(4, 10.11, 2, 9.93, 10.07),
      pt(5, 9.99, 2, 9.91, 10.09, { n: 3 }),
    ],
    violations: [{ index: 4, label: "5", phase: 2, rule: "we1", description: "point beyond the control limits" }],
    phase1: { subgroups: 3, included: 2, excluded: ["2"], stable: true, iterations: [] },
    params: {},
    capability: CAPABILITY,
    ...over,
  };
}

export function serveSpc(opts: { charts?: StoredChart[] } = {}) {
  signIn(QUALITY);
  route("GET", "/api/v1/tenant", TENANT);
  route("GET", `${Q}/charts`, { items: opts.charts ?? [stored("c-1"), stored("c-2", { name: "Spindle temp", type: "imr", source: "sensor", sensor_id: "s-1", subgroup_size: 1, status: "phase2" })], limit: 1000, offset: 0 });
  route("GET", /^\/api\/v1\/quality\/spc\/charts\/[^/]+\/chart$/, () => view());
  route("GET", "/api/v1/assets", { items: [{ id: "m-1", path: "Berlin/Line A/Mill 1" }], total: 1, limit: 1000, offset: 0 });
  route("GET", "/api/v1/sensors", { items: [{ id: "s-1", path: "Berlin/Line A/Mill 1/spindle_temp" }], total: 1, limit: 1000, offset: 0 });
}

export function renderSpc(path = "/quality/spc") {
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={[path]}>
        <Spc />
      </MemoryRouter>
    </AuthProvider>,
  );
}
