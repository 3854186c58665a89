import { callsTo, deferred, jsonResponse, problem, resetFetch, route, USERS } from "./shared/testing";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { renderSchedules, S, schedule, serveSchedules, signIn } from "./schedules/schedulesPage.testutil";

beforeEach(resetFetch);

test("lists schedules and shows the newest: numbers against greedy, a Gantt per machine with late bars and down windows", async () => {
  serveSchedules();
  renderSchedules();
  const list = await screen.findByRole("table", { name: "Schedules" });
  expect(within(list).getAllByTestId("schedule-row")).toHaveLength(2);
  expect(within(list).getByRole("button", { name: "week 10" })).toHaveAttribute("aria-current", "true");
  expect(within(list).getAllByTestId("schedule-row")[0]).toHaveTextContent("60.0 % tardiness");

  expect(await screen.findByTestId("schedule-facts")).toHaveTextContent("Makespan10 h");
  expect(screen.getByTestId("improvement")).toHaveTextContent(
    "Against the greedy baseline (dispatching by due date): makespan 12 h → 10 h (16.7 % better); weighted tardiness 300 → 120 min (60.0 % better).",
  );
  const chart = await screen.findByTestId("gantt");
  expect(within(chart).getAllByTestId("gantt-row").map((r) => r.getAttribute("data-machine"))).toEqual(["m-mill", "m-asm"]);
  const bars = within(chart).getAllByTestId("gantt-bar");
  expect(bars).toHaveLength(4);
  expect(bars.filter((b) => b.getAttribute("data-late") === "true")).toHaveLength(2);
  expect(within(chart).getAllByTestId("gantt-down")).toHaveLength(1);
  expect(within(chart).getByRole("img", { name: /4 operations on 2 machines, 2 of them on late orders; showing 2026-03-02 06:00 to 2026-03-02 16:00/ })).toBeInTheDocument();
  expect(chart).toHaveTextContent("2026-03-02 06:00 – 2026-03-02 16:00");
});

test("the late panel explains each late order with its critical chain, named by work order and machine", async () => {
  serveSchedules();
  const user = userEvent.setup();
  renderSchedules();
  const late = await screen.findByTestId("late-order");
  await waitFor(() => expect(late).toHaveTextContent("WO-00002 (PUMP-100): 2 h late (due 2026-03-02 14:00, done 2026-03-02 16:00, weight 2)"));
  await user.click(within(late).getByText(/WO-00002/));
  expect(late).toHaveTextContent("held at the start by the machine (busy with other work)");
  expect(late).toHaveTextContent("Busiest machines on it: Assembly 1 (4 h 50 min), Mill 1 (3 h)");
  expect(late).toHaveTextContent("operation 20 on Assembly 1, 2026-03-02 11:10 → 2026-03-02 16:00; waits for its previous operation");
});

test("zoom and pan change the visible window; hovering a bar shows its order, operation and times", async () => {
  serveSchedules();
  const user = userEvent.setup();
  renderSchedules();
  const chart = await screen.findByTestId("gantt");
  await waitFor(() => expect(within(chart).getAllByTestId("gantt-bar")).toHaveLength(4));
  await user.click(within(chart).getByRole("button", { name: "Zoom in" }));
  expect(chart).toHaveTextContent("2026-03-02 08:30 – 2026-03-02 13:30");
  expect(within(chart).getAllByTestId("gantt-bar")).toHaveLength(3); // 150..450: the first milling bar is out of view
  await user.click(within(chart).getByRole("button", { name: "Zoom in" }));
  expect(within(chart).getAllByTestId("gantt-bar")).toHaveLength(2); // 225..375
  for (let i = 0; i < 3; i++) await user.click(within(chart).getByRole("button", { name: "← Earlier" }));
  expect(chart).toHaveTextContent("2026-03-02 06:00 – 2026-03-02 08:30");
  expect(within(chart).getAllByTestId("gantt-bar")).toHaveLength(3); // 0..150
  expect(within(chart).getByRole("button", { name: "← Earlier" })).toBeDisabled();

  const frame = within(chart).getByRole("group", { name: /Gantt chart/ });
  frame.focus();
  await user.keyboard("0");
  expect(chart).toHaveTextContent("2026-03-02 06:00 – 2026-03-02 16:00");

  // jsdom has no layout: the svg's box is at 0,0 and 900 px wide (750 px of plot after the 150 px labels)
  const svg = within(chart).getByRole("img");
  fireEvent.pointerMove(svg, { clientX: 150 + 200 * (750 / 600), clientY: 45 }); // row 2 (Assembly 1), minute 200 → none (bar ends 200)
  fireEvent.pointerMove(svg, { clientX: 150 + 150 * (750 / 600), clientY: 45 });
  const tip = await screen.findByRole("tooltip");
  expect(tip).toHaveTextContent("WO-00001 (HOUSING)");
  expect(tip).toHaveTextContent("operation 20 on Assembly 1");
  expect(tip).toHaveTextContent("2026-03-02 08:10 → 2026-03-02 09:20 (1 h 10 min)");
  fireEvent.pointerMove(svg, { clientX: 150 + 200 * (750 / 600), clientY: 10 });
  expect(screen.getByRole("tooltip")).toHaveTextContent(`WO-00002 (PUMP-100) late`);

  await user.click(within(chart).getByRole("checkbox", { name: "Highlight late orders only" }));
  expect(chart.querySelectorAll(".gantt-bar.is-dimmed")).toHaveLength(2);
});

test("solving shows progress while CP-SAT runs, then opens the new schedule", async () => {
  serveSchedules();
  const pending = deferred<Response>();
  route("POST", S, () => pending.promise);
  const user = userEvent.setup();
  renderSchedules();
  await screen.findByTestId("gantt");
  const form = within(screen.getByRole("form", { name: "Solve a new schedule" }));
  const name = form.getByLabelText("Name");
  await user.clear(name);
  await user.type(name, "rush week");
  await user.selectOptions(form.getByLabelText("Objective"), "weighted_tardiness");
  const limit = form.getByLabelText("Time limit (s)");
  await user.clear(limit);
  await user.type(limit, "500");
  expect(form.getByRole("button", { name: "Solve" })).toBeDisabled();
  await user.clear(limit);
  await user.type(limit, "5");
  await user.click(screen.getByRole("button", { name: "Solve" }));
  expect(await form.findByText(/Solving… \d+ s of at most 5 s/)).toHaveAttribute("role", "status");
  expect(screen.getByRole("button", { name: "Solving…" })).toBeDisabled();
  expect(callsTo("POST", S)[0].body).toEqual({ name: "rush week", objective: "weighted_tardiness", time_limit_s: 5, horizon_days: 56 });

  pending.resolve(jsonResponse(201, schedule("sch-3", { name: "rush week", late_orders: 0, weighted_tardiness: 0 })));
  await waitFor(() => expect(screen.getByRole("button", { name: "rush week" })).toHaveAttribute("aria-current", "true"));
  expect(screen.getByRole("heading", { name: /rush week/ })).toBeInTheDocument();
  await waitFor(() => expect(callsTo("GET", `${S}/sch-3/gantt`)).toHaveLength(1));
});

test("solve errors are shown (e.g. nothing to schedule)", async () => {
  serveSchedules();
  route("POST", S, () => problem(422, "cannot schedule: WO-00003 op 10: work centre MACH has no machine", "invalid_planning_input"));
  const user = userEvent.setup();
  renderSchedules();
  await user.click(await screen.findByRole("button", { name: "Solve" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("Could not solve: cannot schedule: WO-00003 op 10");
});

test("publish supersedes the published one; reschedule sends the machine-down window in minutes", async () => {
  serveSchedules();
  route("POST", `${S}/sch-2/publish`, schedule("sch-2", { state: "published", published_at: "2026-03-02T06:00:00Z" }));
  route("POST", `${S}/sch-2/reschedule`, () => jsonResponse(201, schedule("sch-4", { name: "week 10 (rescheduled)", parent_id: "sch-2" })));
  const user = userEvent.setup();
  renderSchedules("/schedules?id=sch-2");
  await user.click(await screen.findByRole("button", { name: "Publish" }));
  await waitFor(() => expect(screen.queryByRole("button", { name: "Publish" })).toBeNull());
  const rows = screen.getAllByTestId("schedule-row");
  expect(rows[0]).toHaveTextContent("published");
  expect(rows[1]).toHaveTextContent("superseded");

  await screen.findByRole("heading", { name: "Reschedule after a machine goes down" });
  await user.selectOptions(screen.getByLabelText("Machine"), "m-asm");
  fireEvent.change(screen.getByLabelText(/Down from/), { target: { value: "2026-03-02T08:00" } });
  fireEvent.change(screen.getByLabelText(/Down until/), { target: { value: "2026-03-02T07:00" } });
  expect(screen.getByText("The window must end after it starts.")).toBeInTheDocument();
  fireEvent.change(screen.getByLabelText(/Down until/), { target: { value: "2026-03-02T12:30" } });
  fireEvent.change(screen.getByLabelText(/Freeze work before/), { target: { value: "2026-03-02T07:30" } });
  await user.click(screen.getByRole("button", { name: "Reschedule" }));
  await waitFor(() => expect(callsTo("POST", `${S}/sch-2/reschedule`)).toHaveLength(1));
  expect(callsTo("POST", `${S}/sch-2/reschedule`)[0].body).toEqual({
    now: 90,
    machine_down: [{ machine: "m-asm", start: 120, end: 390 }],
    time_limit_s: 10,
    objective: "mix",
  });
  await waitFor(() => expect(screen.getByRole("button", { name: "week 10 (rescheduled)" })).toHaveAttribute("aria-current", "true"));
});

test("viewers see schedules but no solve, publish or reschedule", async () => {
  serveSchedules();
  signIn(USERS.viewer);
  renderSchedules();
  await screen.findByTestId("gantt");
  expect(screen.queryByRole("button", { name: "Solve" })).toBeNull();
  expect(screen.queryByRole("button", { name: "Publish" })).toBeNull();
  expect(screen.queryByRole("heading", { name: "Reschedule after a machine goes down" })).toBeNull();
  expect(screen.getByText(/Solving, publishing and rescheduling need an administrator or production role/)).toBeInTheDocument();
});

test("load errors show with a retry; no schedules shows an empty state", async () => {
  serveSchedules();
  route("GET", S, () => problem(503, "database is down"));
  const user = userEvent.setup();
  renderSchedules();
  expect(await screen.findByRole("alert")).toHaveTextContent("Could not load schedules: database is down");
  route("GET", S, { items: [], limit: 100, offset: 0 });
  await user.click(screen.getByRole("button", { name: "Retry" }));
  expect(await screen.findByRole("heading", { name: "No schedules yet" })).toBeInTheDocument();


});
