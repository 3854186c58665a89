// The alarm lifecycle in the inbox: status (active/cleared × acknowledged), escalation, flood control, the
// status filter, the timeline of events and live cleared/escalated events.
import { callsTo, makeAlert, route, USERS } from "./shared/testing";
import { fakeLive } from "./shared/fakeLive";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ALERTS, renderAlarms, row, rowIds, serveAlerts, setupAlarmsPage } from "./alarms/alarmsPage.testutil";

vi.mock("../live", async () => (await import("./shared/fakeLive")).liveModule);

beforeEach(setupAlarmsPage);

test("rows show the lifecycle status, escalation and flood control in words", async () => {
  const escalated = makeAlert({ id: "esc", severity: "critical", escalation_level: 2, escalated_at: "2026-03-01T10:20:00Z", message: "Spindle hot" });
  const flood = makeAlert({ id: "flood", rule: "flood:r1", rule_id: "r1", rule_version: 3, sensor_id: null, originator_id: "r1", suppressed: 12, message: "Flood control: rule 'hot' raised more than 5 alarms" });
  const cleared = makeAlert({ id: "clr", cleared_at: "2026-03-01T10:30:00Z", message: "Back to normal" });
  serveAlerts([escalated, flood, cleared]);
  const user = userEvent.setup();
  renderAlarms();
  await waitFor(() => expect(rowIds().sort()).toEqual(["esc", "flood"]));

  expect(within(row("esc")).getByTestId("alarm-status")).toHaveTextContent("Active · unacknowledged");
  expect(row("esc")).toHaveAttribute("data-status", "active_unack");
  expect(within(row("esc")).getByText(/Escalated ×2/)).toBeInTheDocument();
  expect(within(row("flood")).getByText("12 grouped (flood control)")).toBeInTheDocument();
  expect(within(row("flood")).queryByText(/Escalated/)).toBeNull();

  await user.selectOptions(screen.getByLabelText("Status"), "cleared");
  await waitFor(() => expect(rowIds()).toEqual(["clr"]));
  expect(callsTo("GET", ALERTS).at(-1)!.url.searchParams.get("active")).toBe("false");
  expect(within(row("clr")).getByTestId("alarm-status")).toHaveTextContent("Cleared · unacknowledged");
  expect(within(row("clr")).getByRole("button", { name: "Acknowledge" })).toBeInTheDocument(); // still needs one

  await user.selectOptions(screen.getByLabelText("Status"), "all");
  await waitFor(() => expect(rowIds()).toHaveLength(3));
  expect(callsTo("GET", ALERTS).at(-1)!.url.searchParams.has("active")).toBe(false);
});

test("old ?state=all links mean every status", async () => {
  serveAlerts([makeAlert({ id: "c", cleared_at: "2026-03-01T10:30:00Z" })]);
  renderAlarms("/alarms?state=all");
  await waitFor(() => expect(rowIds()).toEqual(["c"]));
  const q = callsTo("GET", ALERTS)[0].url.searchParams;
  expect(q.has("active")).toBe(false);
  expect(q.has("state")).toBe(false);
});

test("?rule= shows one rule's alarms (linked from the rules page) until the filter is cleared", async () => {
  serveAlerts([makeAlert({ id: "mine", rule_id: "r-7", rule: "r-7" }), makeAlert({ id: "other", rule_id: "r-8", rule: "r-8" })]);
  const user = userEvent.setup();
  renderAlarms("/alarms?status=all&rule=r-7");
  await waitFor(() => expect(rowIds()).toEqual(["mine"]));
  expect(callsTo("GET", ALERTS)[0].url.searchParams.get("rule_id")).toBe("r-7");
  await user.click(screen.getByLabelText("Only rule r-7"));
  await waitFor(() => expect(rowIds()).toHaveLength(2));
  expect(callsTo("GET", ALERTS).at(-1)!.url.searchParams.has("rule_id")).toBe(false);
});

test("the details panel shows a timeline of lifecycle events merged with the comments, in plant time", async () => {
  const a = makeAlert({ id: "a1", rule: "r1", rule_id: "r1aaaaaa-0000-0000-0000-000000000000", rule_version: 4, sensor_id: null, originator_id: "m-press-1" });
  serveAlerts([a]);
  const ev = (id: string, kind: string, at: string, actor: [string | null, string | null], details: Record<string, unknown> = {}) => ({
    id, alert_id: "a1", kind, at, actor_id: actor[0], actor_name: actor[1], details,
  });
  route("GET", `${ALERTS}/a1/events`, {
    items: [
      ev("e1", "raised", "2026-03-01T10:00:00Z", [null, null], { value: 92.5, threshold: 85 }),
      ev("e2", "acknowledged", "2026-03-01T10:02:00Z", [USERS.operator.id, "Otto Operator"]),
      ev("e3", "commented", "2026-03-01T10:03:00Z", [USERS.admin.id, "Ada Admin"], { comment_id: "c1" }),
      ev("e4", "escalated", "2026-03-01T10:15:00Z", [null, null], { level: 1 }),
      ev("e5", "cleared", "2026-03-01T10:20:00Z", [null, null], { value: 80.1 }),
    ],
  });
  route("GET", `${ALERTS}/a1/comments`, { items: [{ id: "c1", alert_id: "a1", author_id: USERS.admin.id, author_name: "Ada Admin", body: "Coolant valve stuck", created_at: "2026-03-01T10:03:00Z" }] });
  const user = userEvent.setup();
  renderAlarms();
  await waitFor(() => expect(rowIds()).toEqual(["a1"]));
  await user.click(within(row("a1")).getByRole("button", { name: "Details" }));
  const details = screen.getByTestId("alarm-details");

  await waitFor(() => expect(within(details).getAllByTestId("timeline-entry")).toHaveLength(5));
  const entries = within(details).getAllByTestId("timeline-entry");
  expect(entries.map((e) => e.getAttribute("data-kind"))).toEqual(["raised", "acknowledged", "comment", "escalated", "cleared"]);
  // 10:00 UTC in the Tokyo site's time zone; the system did it
  expect(entries[0]).toHaveTextContent("2026-03-01 19:00:00 Raised by system");
  expect(entries[0]).toHaveTextContent("value 92.5, limit 85");
  expect(entries[1]).toHaveTextContent("Acknowledged by Otto Operator");
  expect(entries[2]).toHaveTextContent("Comment by Ada Admin");
  expect(entries[2]).toHaveTextContent("Coolant valve stuck");
  expect(entries[3]).toHaveTextContent("Escalated by system");
  expect(entries[3]).toHaveTextContent("level 1");
  expect(entries[4]).toHaveTextContent("Cleared by system");
  // a machine-level rule: no sensor; the rule links to its history
  expect(within(details).getByText("Machine (machine-level rule)")).toBeInTheDocument();
  expect(within(details).getByRole("link", { name: "rule r1aaaaaa v4" })).toHaveAttribute("href", "/rules?rule=r1aaaaaa-0000-0000-0000-000000000000");
});

test("live cleared and escalated events update the row in place and refresh its timeline", async () => {
  const a = makeAlert({ id: "a1", severity: "major" });
  serveAlerts([a]);
  route("GET", `${ALERTS}/a1/events`, { items: [] });
  route("GET", `${ALERTS}/a1/comments`, { items: [] });
  const user = userEvent.setup();
  renderAlarms();
  await waitFor(() => expect(rowIds()).toEqual(["a1"]));
  await user.click(within(row("a1")).getByRole("button", { name: "Details" }));
  await waitFor(() => expect(callsTo("GET", `${ALERTS}/a1/events`)).toHaveLength(1));

  fakeLive.emit({ type: "alert.escalated", tenant_id: "t", alert: { ...a, severity: "critical", escalation_level: 1, escalated_at: "2026-03-01T10:20:00Z", updated_at: "2026-03-01T10:20:00Z" } });
  expect(within(row("a1")).getByText(/Escalated ×1/)).toBeInTheDocument();
  expect(within(row("a1")).getByText("Critical")).toBeInTheDocument();
  await waitFor(() => expect(callsTo("GET", `${ALERTS}/a1/events`)).toHaveLength(2));

  fakeLive.emit({ type: "alert.cleared", tenant_id: "t", alert: { ...a, status: "cleared_unack", cleared_at: "2026-03-01T10:30:00Z", updated_at: "2026-03-01T10:30:00Z" } });
  expect(within(row("a1")).getByTestId("alarm-status")).toHaveTextContent("Cleared · unacknowledged");
  await waitFor(() => expect(callsTo("GET", `${ALERTS}/a1/events`)).toHaveLength(3));
});
