import { callsTo, jsonResponse, problem, resetFetch, route, USERS, type FetchCall } from "./shared/testing";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ENGINEER, M, MECHANIC, rec, renderMaintenance, rowOf, serveMaintenance, signIn, tab, workOrder } from "./maintenance/maintenancePage.testutil";
import type { WorkOrder } from "./maintenance/api";

beforeEach(resetFetch);

const card = (machine: string) => screen.getAllByTestId("recommendation").find((c) => within(c).queryByRole("heading", { name: machine }))!;
const PREDICTIVE = workOrder("wo-7", {
  number: 7,
  machine_id: "m2",
  title: "Predictive maintenance: failure risk",
  kind: "predictive",
  priority: "urgent",
  due_date: "2026-03-10",
  assigned_to: MECHANIC.id,
  reason: "predicted_failure",
  recommendation_id: "rec-1",
});

test("accepting a recommendation sends the chosen details and shows and links its work order", async () => {
  serveMaintenance({ recs: [rec("rec-1"), rec("rec-0", { machine_id: "m1", status: "dismissed", decided_by: USERS.admin.id, decided_at: "2026-02-01T10:00:00Z", created_at: "2026-02-01T09:00:00Z" })] });
  signIn(USERS.admin);
  let accepted = false;
  route("POST", `${M}/recommendations/rec-1/accept`, () => ((accepted = true), PREDICTIVE));
  route("GET", `${M}/work-orders`, () => ({ items: accepted ? [PREDICTIVE] : [], limit: 500, offset: 0 }));
  const user = userEvent.setup();
  renderMaintenance("/maintenance?tab=recommendations");

  await screen.findByRole("heading", { name: "Press 2" });
  const cards = screen.getAllByTestId("recommendation");
  expect(within(cards[0]).getByRole("heading")).toHaveTextContent("Press 2"); // open first
  expect(cards[1]).toHaveTextContent("Dismissed");
  await waitFor(() => expect(cards[1]).toHaveTextContent("by Ada Admin"));
  const c = card("Press 2");
  expect(c).toHaveTextContent("! Open");
  expect(c).toHaveTextContent("Predicted failure: failure probability 63 % above 50 % within 7 days; remaining life 4 days 4 h below 14 days");
  expect(c).toHaveTextContent("23.5 of 100, ▲ Poor");
  expect(c).toHaveTextContent("2026-03-02 10:15:00");

  await user.click(within(c).getByRole("button", { name: "Accept recommendation for Press 2" }));
  const form = within(c).getByRole("form", { name: "Accept recommendation" });
  await user.selectOptions(within(form).getByLabelText("Priority"), "urgent");
  await user.type(within(form).getByLabelText("Due date"), "2026-03-10");
  await waitFor(() => expect(within(form).getByRole("option", { name: "Mia Mechanic" })).toBeInTheDocument());
  await user.selectOptions(within(form).getByLabelText("Assignee"), MECHANIC.id);
  await user.click(within(form).getByRole("button", { name: "Accept and open work order" }));

  await waitFor(() => expect(callsTo("POST", `${M}/recommendations/rec-1/accept`)).toHaveLength(1));
  expect(callsTo("POST", `${M}/recommendations/rec-1/accept`)[0].body).toEqual({ priority: "urgent", due_date: "2026-03-10", assigned_to: MECHANIC.id });
  expect(await within(c).findByText("Accepted: work order #7 “Predictive maintenance: failure risk” is open, urgent priority, due 2026-03-10.")).toBeInTheDocument();
  expect(c).toHaveTextContent("✓ Accepted");
  expect(within(c).queryByRole("button", { name: /^Accept/ })).toBeNull();
  expect(screen.getByRole("link", { name: "Open work order #7" })).toHaveAttribute("href", "/maintenance?tab=work-orders&wo=wo-7");

  await user.click(within(c).getByRole("link", { name: "Work order #7 (Open)" }));
  expect(tab("Work orders")).toHaveAttribute("aria-selected", "true");
  await waitFor(() => expect(rowOf("#7 Predictive maintenance")).toHaveAttribute("aria-current", "true"));
  expect(rowOf("#7 Predictive maintenance")).toHaveTextContent("Mia Mechanic");
  await waitFor(() => expect(within(rowOf("#7 Predictive maintenance")).getByRole("rowheader")).toHaveFocus());
});

test("dismissing sends the note; a 409 (decided meanwhile) shows the API's message and reloads", async () => {
  serveMaintenance({ recs: [rec("rec-1"), rec("rec-2", { machine_id: "m3", created_at: "2026-03-02T08:00:00Z" })] });
  route("POST", `${M}/recommendations/rec-1/dismiss`, (c: FetchCall) => rec("rec-1", { status: "dismissed", decided_by: ENGINEER.id, decided_at: "2026-03-02T11:00:00Z", ...(c.body as object) }));
  route("POST", `${M}/recommendations/rec-2/accept`, () => problem(409, "recommendation rec-2 is dismissed", "recommendation_state_conflict"));
  const user = userEvent.setup();
  renderMaintenance("/maintenance?tab=recommendations");
  await screen.findByRole("heading", { name: "Press 2" });

  const c = card("Press 2");
  await user.click(within(c).getByRole("button", { name: "Dismiss recommendation for Press 2" }));
  await waitFor(() => expect(within(c).getByLabelText("Note (optional)")).toHaveFocus());
  await user.type(within(c).getByLabelText("Note (optional)"), "Bearing replaced last week");
  await user.click(within(c).getByRole("button", { name: "Dismiss recommendation" }));
  await waitFor(() => expect(callsTo("POST", `${M}/recommendations/rec-1/dismiss`)).toHaveLength(1));
  expect(callsTo("POST", `${M}/recommendations/rec-1/dismiss`)[0].body).toEqual({ note: "Bearing replaced last week" });
  await waitFor(() => expect(c).toHaveTextContent("✕ Dismissed"));
  expect(c).toHaveTextContent("2026-03-02 12:00:00 by you");
  expect(screen.getByText("Recommendation for Press 2 dismissed.")).toBeInTheDocument();

  const lathe = card("Lathe 1");
  const loads = callsTo("GET", `${M}/recommendations`).length;
  await user.click(within(lathe).getByRole("button", { name: "Accept recommendation for Lathe 1" }));
  await user.click(within(lathe).getByRole("button", { name: "Accept and open work order" }));
  expect(await within(lathe).findByRole("alert")).toHaveTextContent("Could not accept: recommendation rec-2 is dismissed");
  await waitFor(() => expect(callsTo("GET", `${M}/recommendations`).length).toBe(loads + 1));
});

test("creates a work order with the right body after checking the form", async () => {
  serveMaintenance({ orders: [] });
  route("POST", `${M}/work-orders`, (c: FetchCall) => jsonResponse(201, workOrder("wo-9", { number: 9, ...(c.body as Partial<WorkOrder>) })));
  const user = userEvent.setup();
  renderMaintenance("/maintenance?tab=work-orders");
  expect(await screen.findByRole("heading", { name: "No work orders yet" })).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "New work order" }));
  const form = within(screen.getByRole("form", { name: "New work order" }));

  await user.click(form.getByRole("button", { name: "Create work order" }));
  expect(callsTo("POST", `${M}/work-orders`)).toHaveLength(0);
  expect(form.getByLabelText("Machine")).toHaveAccessibleDescription("Pick a machine");
  expect(form.getByLabelText("Title")).toHaveAccessibleDescription("Give the work order a title");
  expect(form.getByLabelText("Machine")).toHaveFocus();

  await user.selectOptions(form.getByLabelText("Machine"), "Berlin/Line A/Press 1");
  await user.type(form.getByLabelText("Title"), "  Spindle noise ");
  await user.type(form.getByLabelText("Description"), "Grinding at high speed");
  await user.selectOptions(form.getByLabelText("Kind"), "inspection");
  await user.selectOptions(form.getByLabelText("Priority"), "high");
  await user.type(form.getByLabelText("Due date"), "2026-03-12");
  await user.selectOptions(form.getByLabelText("Assignee"), "Emil Engineer (me)"); // not an admin: only themselves
  await user.type(form.getByLabelText("Machine failed at (optional)"), "2026-03-01T14:30");
  await user.click(form.getByRole("button", { name: "Create work order" }));

  await waitFor(() => expect(callsTo("POST", `${M}/work-orders`)).toHaveLength(1));
  expect(callsTo("POST", `${M}/work-orders`)[0].body).toEqual({
    machine_id: "m1",
    title: "Spindle noise",
    description: "Grinding at high speed",
    kind: "inspection",
    priority: "high",
    due_date: "2026-03-12",
    assigned_to: ENGINEER.id,
    failed_at: "2026-03-01T13:30:00.000Z", // 14:30 plant time in Berlin
  });
  expect(await screen.findByText("Work order #9 “Spindle noise” created.")).toBeInTheDocument();
  expect(rowOf("#9 Spindle noise")).toHaveTextContent("High");
  expect(rowOf("#9 Spindle noise")).toHaveTextContent("you");
});

test("status moves PATCH the work order; the API's 409 shows in the row; delete asks first", async () => {
  serveMaintenance({
    orders: [
      workOrder("wo-3", { number: 3, status: "cancelled", completed_at: "2026-03-01T09:00:00Z" }),
      workOrder("wo-2", { number: 2, title: "Check belt", machine_id: "m2" }),
      workOrder("wo-1", { number: 1, title: "Oil change" }),
    ],
  });
  route("PATCH", `${M}/work-orders/wo-2`, (c: FetchCall) => workOrder("wo-2", { number: 2, title: "Check belt", machine_id: "m2", started_at: "2026-03-02T10:00:00Z", ...(c.body as Partial<WorkOrder>) }));
  route("PATCH", `${M}/work-orders/wo-1`, () => problem(409, "work order 1 cannot go from done to in_progress", "work_order_transition_conflict"));
  route("DELETE", `${M}/work-orders/wo-3`, () => new Response(null, { status: 204 }));
  const user = userEvent.setup();
  renderMaintenance("/maintenance?tab=work-orders");
  await waitFor(() => expect(rowOf("#2 Check belt")).toHaveTextContent("○ Open"));

  await user.click(screen.getByRole("button", { name: "Start work order #2" }));
  await waitFor(() => expect(callsTo("PATCH", `${M}/work-orders/wo-2`)).toHaveLength(1));
  expect(callsTo("PATCH", `${M}/work-orders/wo-2`)[0].body).toEqual({ status: "in_progress" });
  await waitFor(() => expect(rowOf("#2 Check belt")).toHaveTextContent("◐ In progress"));
  expect(screen.getByText("Work order #2 started.")).toBeInTheDocument();
  const belt = within(rowOf("#2 Check belt"));
  expect(belt.getByRole("button", { name: "Back to open work order #2" })).toBeInTheDocument();
  expect(belt.getByRole("button", { name: "Mark done work order #2" })).toBeInTheDocument();
  expect(belt.queryByRole("button", { name: "Delete work order #2" })).toBeNull(); // worked on: the record stays

  await user.click(screen.getByRole("button", { name: "Start work order #1" }));
  expect(await within(rowOf("#1 Oil change")).findByRole("alert")).toHaveTextContent("Could not start work order #1: work order 1 cannot go from done to in_progress");

  expect(within(rowOf("#3 Replace bearing")).queryByRole("button", { name: /^(Start|Mark done)/ })).toBeNull();
  await user.click(screen.getByRole("button", { name: "Delete work order #3" }));
  const confirm = screen.getByRole("group", { name: "Confirm: delete work order #3" });
  expect(callsTo("DELETE", `${M}/work-orders/wo-3`)).toHaveLength(0);
  await user.click(within(confirm).getByRole("button", { name: "Yes, delete" }));
  await waitFor(() => expect(callsTo("DELETE", `${M}/work-orders/wo-3`)).toHaveLength(1));
  await waitFor(() => expect(screen.queryByRole("row", { name: /^#3 Replace bearing/ })).toBeNull());
  expect(screen.getByText("Work order #3 deleted.")).toBeInTheDocument();
});

test("filters work orders by status and machine", async () => {
  serveMaintenance({ orders: [workOrder("wo-1")] });
  const user = userEvent.setup();
  renderMaintenance("/maintenance?tab=work-orders");
  await waitFor(() => expect(rowOf("#1 Replace bearing")).toBeInTheDocument());
  await user.selectOptions(screen.getByLabelText("Status"), "in_progress");
  await waitFor(() => expect(callsTo("GET", `${M}/work-orders`).at(-1)?.url.searchParams.get("status")).toBe("in_progress"));
  await waitFor(() => expect(screen.getByRole("option", { name: "Berlin/Line A/Press 2" })).toBeInTheDocument());
  await user.selectOptions(screen.getByLabelText("Machine"), "m2");
  await waitFor(() => expect(callsTo("GET", `${M}/work-orders`).at(-1)?.url.searchParams.get("machine_id")).toBe("m2"));
  expect(callsTo("GET", `${M}/work-orders`).at(-1)?.url.searchParams.get("status")).toBe("in_progress");
});
