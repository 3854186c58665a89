import { callsTo, makeAlert, makeMachine, makeOverview, problem, resetFetch, route, USERS } from "./shared/testing";
import { fakeLive } from "./shared/fakeLive";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { formatDateTime } from "../lib/time";
import { Overview } from "./Overview";
import { setSession } from "../api/client";
import { fetchOverview, resetOverviewCache } from "./overview/api";

vi.mock("../live", async () => (await import("./shared/fakeLive")).liveModule);

const OVERVIEW = "/api/v1/plant/overview";
const berlin = { id: "site-berlin", name: "Berlin", timezone: "Europe/Berlin" };
const tokyo = { id: "site-tokyo", name: "Tokyo", timezone: "Asia/Tokyo" };
const lineA = { id: "line-a", name: "Line A" };
const lineB = { id: "line-b", name: "Line B" };

function sensor(id: string, value: number | null, over: Partial<{ low_limit: number | null; high_limit: number | null; unit: string | null; name: string }> = {}) {
  return {
    id,
    name: over.name ?? id,
    kind: "temperature",
    unit: over.unit === undefined ? "°C" : over.unit,
    low_limit: over.low_limit ?? null,
    high_limit: over.high_limit ?? null,
    safety: false,
    ts: value === null ? null : new Date(Date.now() - 5000).toISOString(),
    value,
  };
}

function renderOverview() {
  return render(
    <MemoryRouter>
      <Overview />
    </MemoryRouter>,
  );
}

function tile(id: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-testid="machine-tile"][data-machine-id="${id}"]`);
  if (!el) throw new Error(`no tile ${id}`);
  return el;
}

beforeEach(() => {
  resetFetch();
  resetOverviewCache();
  fakeLive.reset();
});

test("groups machine tiles by site and line, each tile linking to its machine", async () => {
  route("GET", OVERVIEW, makeOverview([
    makeMachine({ id: "m2", name: "Press 2", site: berlin, line: lineA }),
    makeMachine({ id: "m1", name: "Press 1", site: berlin, line: lineA }),
    makeMachine({ id: "m3", name: "Lathe", site: berlin, line: lineB }),
    makeMachine({ id: "m4", name: "Mixer", site: tokyo, line: { id: "line-c", name: "Line C" } }),
    makeMachine({ id: "m5", name: "Loose", site: null, line: null }),
  ]));
  renderOverview();
  await screen.findAllByTestId("machine-tile");

  const siteHeadings = screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent);
  expect(siteHeadings).toEqual([expect.stringContaining("Berlin"), expect.stringContaining("Tokyo"), expect.stringContaining("Not under a site")]);
  const lineA_ = screen.getByRole("region", { name: /Line A/ });
  const inA = within(lineA_).getAllByTestId("machine-tile");
  expect(inA.map((t) => t.getAttribute("data-machine-id"))).toEqual(["m1", "m2"]); // sorted by name
  expect(within(screen.getByRole("region", { name: /Line B/ })).getByText("Lathe")).toBeInTheDocument();
  expect(within(screen.getByRole("region", { name: /Tokyo/ })).getByText("Mixer")).toBeInTheDocument();
  expect(tile("m1")).toHaveAttribute("href", "/machines/m1");
  expect(callsTo("GET", OVERVIEW)).toHaveLength(1); // one request for the whole page
});

test("flags sensor values outside their limits with text, not colour alone", async () => {
  route("GET", OVERVIEW, makeOverview([
    makeMachine({
      id: "m1",
      sensors: [
        sensor("hot", 95.25, { high_limit: 80, low_limit: 10 }),
        sensor("cold", 2, { low_limit: 10 }),
        sensor("fine", 50, { high_limit: 80, low_limit: 10 }),
        sensor("silent", null),
      ],
    }),
  ]));
  renderOverview();
  await screen.findByTestId("machine-tile");
  const value = (id: string) => document.querySelector<HTMLElement>(`[data-testid="sensor-value"][data-sensor-id="${id}"]`)!;

  expect(value("hot")).toHaveAttribute("data-out-of-limit", "high");
  expect(value("hot")).toHaveClass("out-of-limit");
  expect(value("hot")).toHaveTextContent("95.25 °C");
  expect(value("hot")).toHaveTextContent("above high limit 80");
  expect(value("cold")).toHaveAttribute("data-out-of-limit", "low");
  expect(value("cold")).toHaveTextContent("below low limit 10");
  expect(value("fine")).not.toHaveClass("out-of-limit");
  expect(value("fine")).toHaveTextContent(/^50 °C$/);
  expect(value("silent")).toHaveTextContent("—");
});

test("a live reading updates the matching sensor value and the last-seen time", async () => {
  const old = new Date(Date.now() - 5 * 60_000).toISOString();
  route("GET", OVERVIEW, makeOverview([
    makeMachine({ id: "m1", last_seen: old, sensors: [{ ...sensor("s1", 20, { high_limit: 80 }), ts: old }] }),
    makeMachine({ id: "m2", name: "Other", last_seen: old, sensors: [{ ...sensor("s2", 7), ts: old }] }),
  ]));
  renderOverview();
  await screen.findAllByTestId("machine-tile");
  expect(tile("m1")).toHaveAttribute("data-status", "stale");
  expect(within(tile("m1")).getByText("Stale")).toBeInTheDocument();

  fakeLive.emit({
    type: "readings",
    tenant_id: "t",
    points: [{ sensor_id: "s1", machine_id: "m1", ts: new Date().toISOString(), value: 88.5 }],
  });

  const v = document.querySelector('[data-sensor-id="s1"]')!;
  expect(v).toHaveTextContent("88.5 °C");
  expect(v).toHaveAttribute("data-out-of-limit", "high");
  expect(tile("m1")).toHaveAttribute("data-status", "running");
  expect(within(tile("m1")).getByText(/Last seen/)).toHaveTextContent(/Last seen \d s ago/);
  expect(document.querySelector('[data-sensor-id="s2"]')).toHaveTextContent("7 °C"); // untouched
  expect(tile("m2")).toHaveAttribute("data-status", "stale");
});

test("shows status in words, alarm counts per tile and plant totals", async () => {
  route("GET", OVERVIEW, makeOverview([
    makeMachine({ id: "ok" }),
    makeMachine({ id: "stale", name: "Stale one", last_seen: new Date(Date.now() - 120_000).toISOString(), status: "stale" }),
    makeMachine({ id: "none", name: "New one", last_seen: null, status: "no_data" }),
    makeMachine({ id: "bad", name: "Bad one", status: "alarm", open_alerts: 2, unacknowledged_alerts: 1, safety_alerts: 1 }),
  ]));
  renderOverview();
  await screen.findAllByTestId("machine-tile");

  expect(within(tile("ok")).getByText("Running")).toBeInTheDocument();
  expect(within(tile("ok")).getByText("No active alarms")).toBeInTheDocument();
  expect(within(tile("stale")).getByText("Stale")).toBeInTheDocument();
  expect(within(tile("none")).getByText("No data")).toBeInTheDocument();
  expect(within(tile("none")).getByText("Never reported")).toBeInTheDocument();
  expect(within(tile("bad")).getByText("Alarm")).toBeInTheDocument();
  expect(within(tile("bad")).getByTestId("alarm-counts")).toHaveTextContent("2 active alarms (1 unacknowledged) · ⚠ 1 safety");

  expect(screen.getByTestId("stat-total")).toHaveTextContent("4");
  expect(screen.getByTestId("stat-running")).toHaveTextContent("1");
  expect(screen.getByTestId("stat-alarm")).toHaveTextContent("1");
  expect(screen.getByTestId("stat-stale")).toHaveTextContent("2");
  expect(screen.getByTestId("stat-open")).toHaveTextContent("2 (1 safety)");
});

test("shows times in the site's time zone, else the tenant's", async () => {
  const seen = "2026-03-01T12:00:00Z";
  route("GET", OVERVIEW, makeOverview([
    makeMachine({ id: "tk", site: tokyo, last_seen: seen }),
    makeMachine({ id: "nz", site: { id: "s-x", name: "Nowhere", timezone: null }, last_seen: seen }),
  ], "America/New_York"));
  renderOverview();
  await screen.findAllByTestId("machine-tile");
  expect(tile("tk").querySelector("time")).toHaveAttribute("title", formatDateTime(seen, "Asia/Tokyo"));
  expect(formatDateTime(seen, "Asia/Tokyo")).toBe("2026-03-01 21:00:00");
  expect(tile("nz").querySelector("time")).toHaveAttribute("title", "2026-03-01 07:00:00");
});

test("the cached overview is dropped when another user signs in", async () => {
  route("GET", OVERVIEW, makeOverview([makeMachine({ id: "m1" })]));
  await fetchOverview(60_000);
  await fetchOverview(60_000);
  expect(callsTo("GET", OVERVIEW)).toHaveLength(1); // cached for callers that accept it
  setSession({ accessToken: "x", refreshToken: "y", expiresAt: Date.now() + 3_600_000, user: USERS.viewer });
  await fetchOverview(60_000);
  expect(callsTo("GET", OVERVIEW)).toHaveLength(2);
  setSession(null);
});

test("explains how to add assets when there are no machines", async () => {
  route("GET", OVERVIEW, makeOverview([]));
  renderOverview();
  expect(await screen.findByRole("heading", { name: "No machines yet" })).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "Add assets" })).toHaveAttribute("href", "/assets");
  expect(screen.queryByTestId("machine-tile")).toBeNull();
});

test("shows loading, then an error with a working Retry", async () => {
  route("GET", OVERVIEW, () => problem(503, "Database unavailable"));
  const user = userEvent.setup();
  renderOverview();
  expect(screen.getByRole("status")).toHaveTextContent("Loading plant overview");
  expect(await screen.findByRole("alert")).toHaveTextContent("Database unavailable");

  route("GET", OVERVIEW, makeOverview([makeMachine({ id: "m1" })]));
  await user.click(screen.getByRole("button", { name: "Retry" }));
  expect(await screen.findByTestId("machine-tile")).toBeInTheDocument();
  expect(screen.queryByRole("alert")).toBeNull();
});

test("alert events refetch the overview once per burst (debounced)", async () => {
  route("GET", OVERVIEW, makeOverview([makeMachine({ id: "m1" })]));
  renderOverview();
  await screen.findByTestId("machine-tile");
  expect(within(tile("m1")).getByText("No active alarms")).toBeInTheDocument();

  route("GET", OVERVIEW, makeOverview([makeMachine({ id: "m1", status: "alarm", open_alerts: 1, unacknowledged_alerts: 1 })]));
  const a = makeAlert({ machine_id: "m1" });
  for (let i = 0; i < 3; i++) fakeLive.emit({ type: "alert.updated", tenant_id: "t", alert: { ...a, count: i } });

  await waitFor(() => expect(within(tile("m1")).getByText("Alarm")).toBeInTheDocument(), { timeout: 3000 });
  expect(within(tile("m1")).getByTestId("alarm-counts")).toHaveTextContent("1 active alarm");
  expect(callsTo("GET", OVERVIEW)).toHaveLength(2);
});
