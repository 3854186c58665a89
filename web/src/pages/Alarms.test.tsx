import { callsTo, makeAlert, makeOverview, problem, resetFetch, route, USERS, type FetchCall } from "./shared/testing";
import { fakeLive } from "./shared/fakeLive";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ALERTS, renderAlarms, row, rowIds, serveAlerts, setupAlarmsPage, signIn } from "./alarms/alarmsPage.testutil";

vi.mock("../live", async () => (await import("./shared/fakeLive")).liveModule);

beforeEach(setupAlarmsPage);

test("lists active alarms newest first with machine names, badges and plant-time timestamps", async () => {
  const older = makeAlert({ id: "old", created_at: "2026-03-01T08:00:00Z", message: "Oven too hot", machine_id: "m-oven" });
  const newer = makeAlert({ id: "new", created_at: "2026-03-01T09:00:00Z", message: "Guard open", safety: true, severity: "critical", state: "acknowledged", first_ts: "2026-03-01T09:00:00Z" });
  const done = makeAlert({ id: "done", state: "resolved" });
  const cleared = makeAlert({ id: "gone", cleared_at: "2026-03-01T09:30:00Z" });
  serveAlerts([older, newer, done, cleared]);
  renderAlarms();

  await waitFor(() => expect(rowIds()).toEqual(["new", "old"]));
  // the default filter is "active" (neither cleared nor resolved), in one query, any acknowledgement state
  const calls = callsTo("GET", ALERTS);
  expect(calls).toHaveLength(1);
  expect(calls[0].url.searchParams.get("active")).toBe("true");
  expect(calls[0].url.searchParams.has("state")).toBe(false);
  expect(screen.getByLabelText("Status")).toHaveValue("active");
  const r = within(row("new"));
  expect(r.getByText("Critical")).toBeInTheDocument();
  expect(r.getByText("Safety")).toBeInTheDocument();
  expect(r.getByText("Guard open")).toBeInTheDocument();
  expect(r.getByTestId("alarm-status")).toHaveTextContent("Active · acknowledged");
  await waitFor(() => expect(r.getByText("Press 1")).toBeInTheDocument());
  const times = [...row("new").querySelectorAll("time")].map((t) => t.textContent);
  expect(times).toContain("2026-03-01 18:00:00"); // 09:00 UTC in the Tokyo site's time zone
  expect(screen.getByText(/Times in plant time/)).toHaveTextContent(/Asia\/Tokyo|each machine/);
  expect(within(row("old")).getByText("Oven")).toBeInTheDocument();
  expect(within(row("old")).getByText("Unassigned")).toBeInTheDocument();
});

test("Acknowledge calls the API and updates the row in place", async () => {
  const a = makeAlert({ id: "a1", message: "Spindle overload" });
  serveAlerts([a]);
  route("POST", `${ALERTS}/a1/acknowledge`, { ...a, state: "acknowledged", status: "active_ack", acknowledged_by: USERS.operator.id, acknowledged_at: "2026-03-01T10:06:00Z", updated_at: "2026-03-01T10:06:00Z" });
  const user = userEvent.setup();
  renderAlarms();
  await waitFor(() => expect(rowIds()).toEqual(["a1"]));

  await user.click(within(row("a1")).getByRole("button", { name: "Acknowledge" }));

  await waitFor(() => expect(row("a1")).toHaveAttribute("data-state", "acknowledged"));
  expect(callsTo("POST", `${ALERTS}/a1/acknowledge`)).toHaveLength(1);
  expect(within(row("a1")).getByTestId("alarm-status")).toHaveTextContent("Active · acknowledged");
  expect(within(row("a1")).queryByRole("button", { name: "Acknowledge" })).toBeNull();
  expect(within(row("a1")).getByRole("button", { name: "Resolve" })).toBeEnabled();
  // the pressed button is gone: keyboard focus stays in the row instead of falling back to <body>
  await waitFor(() => expect(within(row("a1")).getByRole("button", { name: "Resolve" })).toHaveFocus());
});

test("a failed action is reported on its row", async () => {
  serveAlerts([makeAlert({ id: "a1" })]);
  route("POST", `${ALERTS}/a1/resolve`, () => problem(409, "Alert already resolved", "conflict"));
  const user = userEvent.setup();
  renderAlarms();
  await waitFor(() => expect(rowIds()).toEqual(["a1"]));
  await user.click(within(row("a1")).getByRole("button", { name: "Resolve" }));
  expect(await within(row("a1")).findByRole("alert")).toHaveTextContent("Resolve failed: Alert already resolved");
});

test("live events add new alarms at the top and update known rows without reload", async () => {
  const a = makeAlert({ id: "a1", created_at: "2026-03-01T08:00:00Z", count: 1 });
  serveAlerts([a]);
  renderAlarms();
  await waitFor(() => expect(rowIds()).toEqual(["a1"]));
  const fetches = callsTo("GET", ALERTS).length;

  const fresh = makeAlert({ id: "a2", created_at: "2026-03-01T11:00:00Z", message: "Coolant low" });
  fakeLive.emit({ type: "alert.opened", tenant_id: "t", alert: { ...fresh } });
  expect(rowIds()).toEqual(["a2", "a1"]);

  fakeLive.emit({ type: "alert.updated", tenant_id: "t", alert: { ...a, count: 7, updated_at: "2026-03-01T12:00:00Z" } });
  expect(within(row("a1")).getByText("7")).toBeInTheDocument();

  // a new alarm that does not match the filters stays out
  fakeLive.emit({ type: "alert.opened", tenant_id: "t", alert: { ...makeAlert({ id: "a3", state: "resolved" }) } });
  expect(rowIds()).toEqual(["a2", "a1"]);
  expect(callsTo("GET", ALERTS)).toHaveLength(fetches);
});

test("says so when there are no active alarms, and shows errors with Retry", async () => {
  serveAlerts([]);
  renderAlarms();
  expect(await screen.findByRole("heading", { name: "No active alarms" })).toBeInTheDocument();

  resetFetch();
  route("GET", ALERTS, () => problem(500, "Internal error"));
  route("GET", "/api/v1/plant/overview", makeOverview([]));
  const user = userEvent.setup();
  await user.selectOptions(screen.getByLabelText("Severity"), "critical");
  expect(await screen.findByRole("alert")).toHaveTextContent("Could not load alarms: Internal error");
  serveAlerts([makeAlert({ id: "c1", severity: "critical" })]);
  await user.click(screen.getByRole("button", { name: "Retry" }));
  await waitFor(() => expect(rowIds()).toEqual(["c1"]));
});

test("filters are sent to the API", async () => {
  serveAlerts([makeAlert({ id: "x", machine_id: "m-oven", safety: true, severity: "minor" })]);
  const user = userEvent.setup();
  renderAlarms();
  await waitFor(() => expect(rowIds()).toEqual(["x"]));

  await user.selectOptions(screen.getByLabelText("State"), "open");
  await user.selectOptions(screen.getByLabelText("Severity"), "minor");
  await user.click(screen.getByLabelText("Safety only"));
  await waitFor(() => expect(screen.getByRole("option", { name: "Berlin/Oven" })).toBeInTheDocument());
  await user.selectOptions(screen.getByLabelText("Machine"), "m-oven");

  await waitFor(() => expect(rowIds()).toEqual(["x"]));
  const q = callsTo("GET", ALERTS).at(-1)!.url.searchParams;
  expect(Object.fromEntries(q)).toMatchObject({ active: "true", state: "open", severity: "minor", safety: "true", machine_id: "m-oven", offset: "0" });
});

test("Load more fetches the next page", async () => {
  const many = Array.from({ length: 60 }, (_, i) =>
    makeAlert({ id: `p${String(i).padStart(2, "0")}`, created_at: new Date(Date.UTC(2026, 2, 1, 0, i)).toISOString() }),
  );
  serveAlerts(many);
  const user = userEvent.setup();
  renderAlarms("/alarms?state=open");
  await waitFor(() => expect(rowIds()).toHaveLength(50));
  expect(rowIds()[0]).toBe("p59");

  await user.click(screen.getByRole("button", { name: "Load more" }));
  await waitFor(() => expect(rowIds()).toHaveLength(60));
  expect(callsTo("GET", ALERTS).at(-1)!.url.searchParams.get("offset")).toBe("50");
  expect(rowIds().at(-1)).toBe("p00");
  expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
});

test("assign to me, and the details panel shows and posts comments", async () => {
  const a = makeAlert({ id: "a1" });
  serveAlerts([a]);
  route("POST", `${ALERTS}/a1/assign`, (c: FetchCall) => ({ ...a, assigned_to: (c.body as { user_id: string }).user_id, updated_at: "2026-03-01T11:00:00Z" }));
  route("GET", `${ALERTS}/a1/comments`, { items: [{ id: "c1", alert_id: "a1", author_id: USERS.admin.id, author_name: "Ada Admin", body: "Checking the guard", created_at: "2026-03-01T10:10:00Z" }] });
  route("GET", `${ALERTS}/a1/events`, { items: [] });
  route("POST", `${ALERTS}/a1/comments`, (c: FetchCall) => ({ id: "c2", alert_id: "a1", author_id: USERS.operator.id, author_name: "Otto Operator", body: (c.body as { body: string }).body, created_at: "2026-03-01T10:12:00Z" }));
  const user = userEvent.setup();
  renderAlarms();
  await waitFor(() => expect(rowIds()).toEqual(["a1"]));

  await user.click(within(row("a1")).getByRole("button", { name: "Assign to me" }));
  await waitFor(() => expect(within(row("a1")).getByText("You")).toBeInTheDocument());
  expect(callsTo("POST", `${ALERTS}/a1/assign`)[0].body).toEqual({ user_id: USERS.operator.id });
  expect(within(row("a1")).getByRole("button", { name: "Unassign" })).toBeInTheDocument();

  const toggle = within(row("a1")).getByRole("button", { name: "Details" });
  await user.click(toggle);
  expect(toggle).toHaveAttribute("aria-expanded", "true");
  const details = screen.getByTestId("alarm-details");
  expect(await within(details).findByText("Checking the guard")).toBeInTheDocument();
  expect(within(details).getByText("Ada Admin")).toBeInTheDocument();
  expect(within(details).queryByLabelText("Assignee")).toBeNull(); // only admins can pick any user

  await user.type(within(details).getByLabelText("Add a comment"), "Guard replaced");
  await user.click(within(details).getByRole("button", { name: "Post comment" }));
  expect(await within(details).findByText("Guard replaced")).toBeInTheDocument();
  expect(callsTo("POST", `${ALERTS}/a1/comments`)[0].body).toEqual({ body: "Guard replaced" });
  expect(within(details).getByLabelText("Add a comment")).toHaveValue("");
});

test("admins can assign to any user from the details panel", async () => {
  signIn(USERS.admin);
  const a = makeAlert({ id: "a1" });
  serveAlerts([a]);
  route("GET", "/api/v1/users", [USERS.admin, USERS.operator, { ...USERS.viewer, active: false }]);
  route("GET", `${ALERTS}/a1/comments`, { items: [] });
  route("GET", `${ALERTS}/a1/events`, { items: [] });
  route("POST", `${ALERTS}/a1/assign`, (c: FetchCall) => ({ ...a, assigned_to: (c.body as { user_id: string | null }).user_id, updated_at: "2026-03-01T11:00:00Z" }));
  const user = userEvent.setup();
  renderAlarms();
  await waitFor(() => expect(rowIds()).toEqual(["a1"]));
  await user.click(within(row("a1")).getByRole("button", { name: "Details" }));

  const picker = await screen.findByLabelText("Assignee");
  await waitFor(() => expect(within(picker).getByRole("option", { name: /Otto Operator/ })).toBeInTheDocument());
  expect(within(picker).queryByRole("option", { name: /Vera Viewer/ })).toBeNull(); // inactive
  await user.selectOptions(picker, USERS.operator.id);
  await waitFor(() => expect(within(row("a1")).getByText("Otto Operator")).toBeInTheDocument());
  expect(callsTo("POST", `${ALERTS}/a1/assign`)[0].body).toEqual({ user_id: USERS.operator.id });
});

test("viewers see alarms but no actions", async () => {
  signIn(USERS.viewer);
  serveAlerts([makeAlert({ id: "a1" })]);
  renderAlarms();
  await waitFor(() => expect(rowIds()).toEqual(["a1"]));
  expect(within(row("a1")).queryByRole("button", { name: "Acknowledge" })).toBeNull();
  expect(within(row("a1")).queryByRole("button", { name: "Resolve" })).toBeNull();
  expect(within(row("a1")).getByRole("button", { name: "Details" })).toBeInTheDocument();
});

