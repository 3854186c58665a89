import { callsTo, resetFetch, route, USERS } from "./shared/testing";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import {
  health,
  M,
  model,
  rec,
  renderMaintenance,
  rowOf,
  serveMaintenance,
  signIn,
  tab,
  workOrder,
} from "./maintenance/maintenancePage.testutil";

beforeEach(resetFetch);

const FLEET = [
  health("m1", { health_index: 82, rul_hours: 600, failure_probability: 0.04 }),
  health("m2", { health_index: 23.5, rul_hours: 100, failure_probability: 0.634 }),
  health("m3", { health_index: 55, rul_hours: 720, failure_probability: 0.004, model_id: "mod-x" }),
];

test("fleet health is sorted worst first, with the index in words, readable RUL, probability, model and plant time", async () => {
  serveMaintenance({ health: FLEET });
  renderMaintenance();
  await screen.findByRole("button", { name: "Press 2" });
  const rows = screen.getAllByTestId("health-row");
  expect(rows.map((r) => within(r).getByRole("rowheader").textContent)).toEqual(["Press 2", "Lathe 1", "Press 1"]);

  expect(rows[0]).toHaveTextContent("23.5 of 100, ▲ Poor");
  expect(rows[0]).toHaveTextContent("4 days 4 h");
  expect(rows[0]).toHaveTextContent("63 % within 7 days");
  expect(rows[0]).toHaveTextContent("2026-03-02 10:15:00"); // 09:15Z in Berlin
  await waitFor(() => expect(rows[0]).toHaveTextContent("rul-press v2"));
  expect(rows[1]).toHaveTextContent("55 of 100, ◆ Fair");
  expect(rows[1]).toHaveTextContent("≥ 30 days"); // at the model's RUL cap
  expect(rows[1]).toHaveTextContent("< 1 %");
  expect(rows[1]).toHaveTextContent("model mod-x");
  expect(rows[2]).toHaveTextContent("82 of 100, ● Good");
  expect(rows[2]).toHaveTextContent("25 days");
  expect(rows[2]).toHaveTextContent("4 %");
  expect(screen.getByText(/Times in plant time \(Europe\/Berlin\)/)).toBeInTheDocument();
});

test("a machine opens its health panel with history; Score now scores and reloads", async () => {
  serveMaintenance({ health: FLEET });
  route("GET", `${M}/machines/m2/health`, {
    machine_id: "m2",
    current: FLEET[1],
    history: [FLEET[1], health("m2", { health_index: 40, scored_at: "2026-03-02T08:15:00Z" }), health("m2", { health_index: 61, scored_at: "2026-03-02T07:15:00Z" })],
  });
  route("POST", `${M}/score`, { models: 1, scored: 3, skipped: 0, recommendations: 1, work_orders: 1 });
  const user = userEvent.setup();
  renderMaintenance();
  await user.click(await screen.findByRole("button", { name: "Press 2" }));

  const panel = await screen.findByRole("region", { name: "Health of Press 2" });
  await waitFor(() => expect(within(panel).getByRole("heading", { name: "Health of Press 2" })).toHaveFocus());
  expect(await within(panel).findByRole("img", { name: "Health index over the last 3 scores: from 61 to 23.5 (lowest 23.5)" })).toBeInTheDocument();
  expect(within(panel).getAllByRole("row")).toHaveLength(4); // header + 3 scores
  expect(within(panel).getByText("2026-03-02 09:15:00")).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Press 2" })).toHaveAttribute("aria-expanded", "true");

  const before = callsTo("GET", `${M}/health`).length;
  await user.click(screen.getByRole("button", { name: "Score now" }));
  expect(await screen.findByText("Scored 3 machines with 1 active model; 1 new recommendation, 1 new work order.")).toBeInTheDocument();
  expect(callsTo("POST", `${M}/score`)).toHaveLength(1);
  await waitFor(() => expect(callsTo("GET", `${M}/health`).length).toBe(before + 1));
  await waitFor(() => expect(callsTo("GET", `${M}/machines/m2/health`).length).toBe(2));

  await user.click(within(panel).getByRole("button", { name: "Close" }));
  expect(screen.queryByRole("region", { name: "Health of Press 2" })).toBeNull();
});

test("tabs follow the ARIA pattern: one tab stop, arrow keys, Home and End", async () => {
  serveMaintenance();
  const user = userEvent.setup();
  renderMaintenance();
  expect(screen.getByRole("tablist", { name: "Maintenance views" })).toBeInTheDocument();
  expect(tab("Health")).toHaveAttribute("aria-selected", "true");
  expect(tab("Recommendations")).toHaveAttribute("tabindex", "-1");
  expect(screen.getByRole("tabpanel", { name: "Health" })).toBeInTheDocument();

  tab("Health").focus();
  await user.keyboard("{ArrowRight}");
  expect(tab("Recommendations")).toHaveFocus();
  expect(tab("Recommendations")).toHaveAttribute("aria-selected", "true");
  expect(await within(screen.getByRole("tabpanel", { name: "Recommendations" })).findByRole("heading", { name: "Press 2" })).toBeInTheDocument();
  await user.keyboard("{End}");
  expect(tab("Models")).toHaveFocus();
  expect(await screen.findByRole("heading", { name: "Risk policies" })).toBeInTheDocument();
  await user.keyboard("{ArrowRight}");
  expect(tab("Health")).toHaveFocus();
  await user.keyboard("{ArrowLeft}");
  expect(tab("Models")).toHaveFocus();
  await user.keyboard("{Home}");
  expect(tab("Health")).toHaveAttribute("aria-selected", "true");
});

test("without an active model the empty states point to the Models tab", async () => {
  serveMaintenance({ health: [], models: [], recs: [] });
  const user = userEvent.setup();
  renderMaintenance();
  expect(await screen.findByText(/No model is active yet: train one on the Models tab/)).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Go to Models" }));
  expect(tab("Models")).toHaveAttribute("aria-selected", "true");
  expect(await screen.findByRole("heading", { name: "No models yet" })).toBeInTheDocument();
});

test("load errors show with a retry", async () => {
  serveMaintenance();
  route("GET", `${M}/health`, () => new Response(JSON.stringify({ title: "Service unavailable", detail: "database is down" }), { status: 503 }));
  renderMaintenance();
  expect(await screen.findByRole("alert")).toHaveTextContent("Could not load health scores: database is down");
  route("GET", `${M}/health`, { items: FLEET });
  const user = userEvent.setup();
  await user.click(screen.getByRole("button", { name: "Retry" }));
  expect(await screen.findByRole("button", { name: "Press 2" })).toBeInTheDocument();
});

test("viewers read every tab but get no write buttons", async () => {
  serveMaintenance({
    health: FLEET,
    recs: [rec("rec-1")],
    orders: [workOrder("wo-1"), workOrder("wo-2", { number: 2, status: "in_progress", started_at: "2026-03-01T08:00:00Z" })],
    models: [model("mod-2", { status: "active", version: 2 }), model("mod-3", { version: 3 })],
  });
  signIn(USERS.viewer);
  const user = userEvent.setup();
  renderMaintenance();
  await screen.findByRole("button", { name: "Press 2" });
  expect(screen.queryByRole("button", { name: "Score now" })).toBeNull();

  await user.click(tab("Recommendations"));
  await screen.findByRole("heading", { name: "Press 2" });
  expect(screen.queryByRole("button", { name: /^Accept/ })).toBeNull();
  expect(screen.queryByRole("button", { name: /^Dismiss/ })).toBeNull();
  expect(screen.getByText(/Deciding needs an administrator, engineer or maintenance role/)).toBeInTheDocument();

  await user.click(tab("Work orders"));
  await waitFor(() => expect(rowOf("#2 Replace bearing")).toBeInTheDocument());
  expect(screen.queryByRole("button", { name: "New work order" })).toBeNull();
  expect(screen.queryByRole("button", { name: /^(Start|Mark done|Cancel|Back to open|Delete)/ })).toBeNull();
  expect(screen.queryByRole("columnheader", { name: "Actions" })).toBeNull();

  await user.click(tab("Models"));
  await waitFor(() => expect(rowOf("rul-press v3")).toBeInTheDocument());
  expect(screen.queryByRole("button", { name: "Train a model" })).toBeNull();
  expect(screen.queryByRole("button", { name: /^(Promote|Retire)/ })).toBeNull();
  await screen.findByRole("heading", { name: "All classes (tenant default)" });
  expect(screen.queryByRole("button", { name: "Add policy" })).toBeNull();
  expect(screen.queryByRole("button", { name: /^Edit policy/ })).toBeNull();
});
