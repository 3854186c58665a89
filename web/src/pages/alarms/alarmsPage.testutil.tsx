// Shared by the alarms page tests. Import "../shared/testing" FIRST in the test file (the fetch stub must
// be installed before the API client loads).
import { makeMachine, makeOverview, resetFetch, route, TENANT, USERS, type FetchCall } from "../shared/testing";
import { fakeLive } from "../shared/fakeLive";
import { render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { setSession } from "../../api/client";
import { AuthProvider } from "../../auth";
import { Alarms } from "../Alarms";
import { resetOverviewCache } from "../overview/api";
import type { AlertOut } from "./api";

export const ALERTS = "/api/v1/alerts";
type User = (typeof USERS)[keyof typeof USERS];

export function signIn(user: User) {
  setSession({ accessToken: "acc", refreshToken: "ref", expiresAt: Date.now() + 3_600_000, user });
}

/** Serve alerts like the API: filtered by active/state/severity/safety/machine/rule, newest first, paged. */
export function serveAlerts(all: AlertOut[]) {
  route("GET", ALERTS, (c: FetchCall) => {
    const q = c.url.searchParams;
    const active = (a: AlertOut) => a.status.startsWith("active") && a.state !== "resolved";
    const items = all
      .filter((a) => !q.has("active") || active(a) === (q.get("active") === "true"))
      .filter((a) => !q.get("rule_id") || a.rule_id === q.get("rule_id"))
      .filter((a) => !q.get("state") || a.state === q.get("state"))
      .filter((a) => !q.get("severity") || a.severity === q.get("severity"))
      .filter((a) => q.get("safety") !== "true" || a.safety)
      .filter((a) => !q.get("machine_id") || a.machine_id === q.get("machine_id"))
      .sort((a, b) => b.created_at.localeCompare(a.created_at));
    const limit = Number(q.get("limit") ?? 100);
    const offset = Number(q.get("offset") ?? 0);
    return { items: items.slice(offset, offset + limit), limit, offset };
  });
}

export function renderAlarms(path = "/alarms") {
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={[path]}>
        <Alarms />
      </MemoryRouter>
    </AuthProvider>,
  );
}

export function row(id: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-testid="alarm-row"][data-alert-id="${id}"]`);
  if (!el) throw new Error(`no row ${id}`);
  return el;
}

export const rowIds = () => screen.queryAllByTestId("alarm-row").map((r) => r.getAttribute("data-alert-id"));

/** The common start: an operator, the tenant, and two machines (Press 1 in a Tokyo site, Oven in Berlin). */
export function setupAlarmsPage() {
  resetFetch();
  resetOverviewCache();
  fakeLive.reset();
  signIn(USERS.operator);
  route("GET", "/api/v1/tenant", TENANT);
  route("GET", "/api/v1/plant/overview", makeOverview([
    makeMachine({ id: "m-press-1", name: "Press 1", site: { id: "s1", name: "Tokyo", timezone: "Asia/Tokyo" } }),
    makeMachine({ id: "m-oven", name: "Oven", path: "Berlin/Oven" }),
  ]));
}
