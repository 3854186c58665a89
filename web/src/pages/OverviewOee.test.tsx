import { callsTo, makeMachine, makeOverview, resetFetch, route } from "./shared/testing";
import { fakeLive } from "./shared/fakeLive";
import { act, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { Overview } from "./Overview";
import { resetOverviewCache } from "./overview/api";
import type { CurrentMachine } from "./oee/api";

vi.mock("../live", async () => (await import("./shared/fakeLive")).liveModule);

const OVERVIEW = "/api/v1/plant/overview";
const CURRENT = "/api/v1/oee/current";

function current(machine_id: string, over: Partial<CurrentMachine> = {}): CurrentMachine {
  return {
    machine_id,
    name: machine_id,
    path: `Berlin/Line A/${machine_id}`,
    line_id: "line-a",
    configured: true,
    state: "running",
    since: new Date(Date.now() - 20 * 60_000).toISOString(),
    reason_code: null,
    shift: { shift_id: "sh-1", name: "Early", day: "2026-03-02", start: new Date(Date.now() - 3_600_000).toISOString(), end: new Date(Date.now() + 3_600_000).toISOString() },
    availability: 0.9,
    performance: 0.8,
    quality: 0.95,
    oee: 0.684,
    performance_capped: false,
    run_time_s: 3000,
    planned_time_s: 3600,
    total_count: 200,
    good_count: 190,
    ...over,
  };
}

function oeeOf(id: string): HTMLElement {
  const tile = document.querySelector<HTMLElement>(`[data-testid="machine-tile"][data-machine-id="${id}"]`);
  if (!tile) throw new Error(`no tile ${id}`);
  return within(tile).getByTestId("tile-oee");
}

beforeEach(() => {
  resetFetch();
  resetOverviewCache();
  fakeLive.reset();
});

test("each tile shows the current shift's OEE with A/P/Q, the OEE state and since; missing figures read —", async () => {
  route("GET", OVERVIEW, makeOverview([
    makeMachine({ id: "m1", name: "Press 1" }),
    makeMachine({ id: "m2", name: "Press 2" }),
    makeMachine({ id: "m3", name: "Press 3" }),
    makeMachine({ id: "m4", name: "Press 4" }),
  ]));
  route("GET", CURRENT, {
    generated_at: new Date().toISOString(),
    machines: [
      current("m1"),
      current("m2", { state: "down", reason_code: "tool_change" }),
      current("m3", { performance: null, quality: null, oee: null, total_count: 0, good_count: 0 }),
      current("m4", { configured: false, state: null, since: null, availability: null, performance: null, quality: null, oee: null }),
    ],
  });
  render(
    <MemoryRouter>
      <Overview />
    </MemoryRouter>,
  );
  await screen.findAllByTestId("tile-oee");

  const m1 = oeeOf("m1");
  expect(m1).toHaveTextContent("OEE · Early68.4 %");
  expect(m1.querySelector('[data-part="availability"]')).toHaveTextContent("A90.0 %");
  expect(m1.querySelector('[data-part="performance"]')).toHaveTextContent("P80.0 %");
  expect(m1.querySelector('[data-part="quality"]')).toHaveTextContent("Q95.0 %");
  expect(within(m1).getByTestId("oee-state")).toHaveTextContent(/^▶ Running since \d\d:\d\d$/);

  expect(within(oeeOf("m2")).getByTestId("oee-state")).toHaveTextContent(/Down \(tool_change\) since \d\d:\d\d/);

  // no counts yet: performance, quality and OEE are "—", with the reason as tooltip and for screen readers
  const m3 = oeeOf("m3");
  const q = m3.querySelector<HTMLElement>('[data-part="quality"] [data-missing]');
  expect(q).toHaveTextContent("— (no counts)");
  expect(q).toHaveAttribute("title", "no counts");
  expect(m3.querySelector('[data-part="availability"]')).toHaveTextContent("90.0 %");

  // no running signal: every figure "—" because it is not configured
  const m4 = oeeOf("m4");
  const missing = [...m4.querySelectorAll<HTMLElement>("[data-missing]")];
  expect(missing).toHaveLength(4);
  missing.forEach((el) => expect(el).toHaveAttribute("title", "not configured"));
  expect(within(m4).getByTestId("oee-state")).toHaveTextContent("OEE not configured");

  // the existing tile content is untouched
  expect(screen.getAllByTestId("machine-tile")).toHaveLength(4);
  expect(callsTo("GET", CURRENT)).toHaveLength(1); // once with the overview
});

test("when OEE is unavailable the tiles show the overview alone, without an error", async () => {
  route("GET", OVERVIEW, makeOverview([makeMachine({ id: "m1" })]));
  render(
    <MemoryRouter>
      <Overview />
    </MemoryRouter>,
  );
  await screen.findByTestId("machine-tile");
  await vi.waitFor(() => expect(callsTo("GET", CURRENT)).toHaveLength(1));
  expect(screen.queryByTestId("tile-oee")).toBeNull();
  expect(screen.queryByRole("alert")).toBeNull();
});

test("the OEE refreshes every 60 s", async () => {
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
  try {
    route("GET", OVERVIEW, makeOverview([makeMachine({ id: "m1" })]));
    route("GET", CURRENT, { generated_at: new Date().toISOString(), machines: [current("m1")] });
    render(
      <MemoryRouter>
        <Overview />
      </MemoryRouter>,
    );
    await screen.findByTestId("tile-oee");
    route("GET", CURRENT, { generated_at: new Date().toISOString(), machines: [current("m1", { oee: 0.5 })] });
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    await vi.waitFor(() => expect(oeeOf("m1")).toHaveTextContent("50.0 %"));
    expect(callsTo("GET", CURRENT)).toHaveLength(2);
  } finally {
    vi.useRealTimers();
  }
});
