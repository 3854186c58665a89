// Shared by the rules page tests. Import "../shared/testing" FIRST in the test file (the fetch stub must
// be installed before the API client loads).
import { problem, resetFetch, route, TENANT, USERS, type FetchCall } from "../shared/testing";
import { render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { setSession } from "../../api/client";
import { AuthProvider } from "../../auth";
import { Rules } from "../Rules";
import type { Rule } from "./api";
import { MACHINES, SENSORS } from "./testdata.testutil";

export type User = (typeof USERS)[keyof typeof USERS];
export const ENGINEER: User = { ...USERS.admin, id: "00000000-0000-0000-0000-0000000000e4", full_name: "Emil Engineer", role: "engineer" };
export const RULES = "/api/v1/rules";

export function signIn(user: User) {
  setSession({ accessToken: "acc", refreshToken: "ref", expiresAt: Date.now() + 3_600_000, user });
}

export function serveRules(rules: Rule[]) {
  route("GET", RULES, { items: rules, limit: 1000, offset: 0 });
}

export function renderRules(path = "/rules") {
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={[path]}>
        <Rules />
      </MemoryRouter>
    </AuthProvider>,
  );
}

export const rowOf = (name: string) => screen.getByRole("row", { name: new RegExp(`^${name}`) });
export const form = () => screen.getByRole("form");

/** An engineer; the tenant (Europe/Berlin), two machines and their sensors. */
export function setupRulesPage() {
  resetFetch();
  signIn(ENGINEER);
  route("GET", "/api/v1/tenant", TENANT);
  route("GET", "/api/v1/assets", { items: MACHINES, total: MACHINES.length, limit: 1000, offset: 0 });
  route("GET", "/api/v1/sensors", (c: FetchCall) => {
    const items = SENSORS.filter((s) => s.machine_id === c.url.searchParams.get("machine_id"));
    return { items, total: items.length, limit: 1000, offset: 0 };
  });
  route("GET", /^\/api\/v1\/sensors\/[^/]+$/, (c: FetchCall) => SENSORS.find((s) => c.path.endsWith(`/${s.id}`)) ?? problem(404, "no sensor"));
}
