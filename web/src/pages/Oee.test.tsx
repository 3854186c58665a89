import { callsTo, jsonResponse, resetFetch, route, USERS, type FetchCall } from "./shared/testing";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { formatDateTime } from "../lib/time";
import { DOWN, FROM, machineOee, PARETO, renderOee, serveOee, signIn, TO } from "./oee/oeePage.testutil";

beforeEach(() => {
  resetFetch();
  serveOee();
});

test("shows a machine's OEE, A/P/Q, times, counts, per-shift table, state timeline and the downtime Pareto", async () => {
  renderOee();
  const summary = await screen.findByTestId("oee-summary");
  expect(within(summary).getByRole("heading", { name: "Press 1" })).toBeInTheDocument();
  expect(screen.getByTestId("figure-oee")).toHaveTextContent("OEE68.4 %");
  expect(screen.getByTestId("figure-availability")).toHaveTextContent("90.0 %");
  expect(screen.getByTestId("figure-performance")).toHaveTextContent("80.0 %");
  expect(screen.getByTestId("figure-quality")).toHaveTextContent("95.0 %");
  expect(summary).toHaveTextContent("Run6 h 45 min");
  expect(summary).toHaveTextContent("Down25 min");
  expect(summary).toHaveTextContent("Planned stops30 min");
  expect(screen.getByTestId("count-total")).toHaveTextContent("1,000");
  expect(screen.getByTestId("count-good")).toHaveTextContent("950");
  expect(screen.getByTestId("count-reject")).toHaveTextContent("50");

  const shifts = screen.getByTestId("oee-by-shift");
  expect(within(shifts).getByRole("rowheader", { name: "Early" })).toBeInTheDocument();
  expect(within(shifts).getAllByRole("row")[1]).toHaveTextContent("68.4 %");

  // the state timeline (over the part of the window that has happened) as a bar and, for screen readers, a table
  const bar = await screen.findByTestId("state-timeline");
  expect(bar).toHaveAccessibleName(/Running 7 h 45 min, Down 25 min/);
  expect(bar.querySelectorAll("[data-state=down]")).toHaveLength(1);
  const statesCall = callsTo("GET", "/api/v1/oee/machines/m1/states")[0];
  expect(statesCall.url.searchParams.get("from")).toBe(FROM);
  expect(Date.parse(statesCall.url.searchParams.get("to") ?? "")).toBeLessThanOrEqual(Date.now());
  expect(Date.parse(statesCall.url.searchParams.get("to") ?? "")).toBeLessThan(Date.parse(TO));

  // the Pareto: bars (hidden from assistive tech) and the table behind them
  const pareto = await screen.findByTestId("oee-pareto");
  expect(pareto).toHaveTextContent("Total downtime 45 min");
  const rows = within(screen.getByTestId("pareto-table")).getAllByRole("row").slice(1);
  expect(rows.map((r) => r.textContent)).toEqual(["Tool changeunplanned30 min266.7 %66.7 %", "unclassified—15 min133.3 %100.0 %"]);
  expect(callsTo("GET", "/api/v1/oee/pareto")[0].url.searchParams.get("machine_id")).toBe("m1");
  // the range: today's production day, by date
  expect(callsTo("GET", "/api/v1/oee/machines/m1")[0].url.searchParams.get("date")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
});

test("missing figures read as — with the reason, and a machine without a running signal says so", async () => {
  route("GET", "/api/v1/oee/machines/m1", machineOee({ configured: false, totals: { ...machineOee().totals, oee: null, availability: null, performance: null, quality: null, total_count: 0 } }));
  renderOee();
  await screen.findByTestId("oee-summary");
  expect(screen.getByTestId("figure-quality")).toHaveTextContent("— (not configured)");
  expect(screen.getByRole("note")).toHaveTextContent("No running signal is configured for this machine");
});

test("an operator classifies a downtime interval with a reason code: the right body, then the page reloads", async () => {
  route("POST", "/api/v1/oee/machines/m1/downtime/classify", (c: FetchCall) => jsonResponse(201, { id: "e1", ...(c.body as object) }));
  signIn(USERS.operator);
  const user = userEvent.setup();
  renderOee();
  const from = formatDateTime(DOWN.start, "Europe/Berlin");
  const classify = await screen.findByRole("button", { name: `Classify downtime from ${from}` });
  await user.click(classify);
  const form = screen.getByRole("form", { name: `Classify downtime from ${from}` });
  await waitFor(() => expect(within(form).getByLabelText("Reason")).toHaveFocus());

  await user.click(within(form).getByRole("button", { name: "Save reason" }));
  expect(within(form).getByLabelText("Reason")).toHaveAccessibleDescription("Pick a reason"); // checked before sending
  expect(callsTo("POST", "/api/v1/oee/machines/m1/downtime/classify")).toHaveLength(0);

  await user.selectOptions(within(form).getByLabelText("Reason"), "tool_change");
  await user.type(within(form).getByLabelText("Note"), "insert worn");
  await user.click(within(form).getByRole("button", { name: "Save reason" }));

  await waitFor(() => expect(callsTo("POST", "/api/v1/oee/machines/m1/downtime/classify")).toHaveLength(1));
  expect(callsTo("POST", "/api/v1/oee/machines/m1/downtime/classify")[0].body).toEqual({
    start: DOWN.start,
    end: DOWN.end,
    reason_code: "tool_change",
    note: "insert worn",
  });
  expect(await screen.findByText(`Downtime from ${from} classified as “Tool change”.`)).toBeInTheDocument();
  await waitFor(() => expect(callsTo("GET", "/api/v1/oee/machines/m1/downtime")).toHaveLength(2)); // reloaded
});

test("an operator records “down — tool change from now”, and API errors show inline with their details", async () => {
  route("POST", "/api/v1/oee/machines/m1/states", () =>
    jsonResponse(422, { title: "Unknown reason code", status: 422, code: "unknown_reason", detail: "no reason code 'tool_change'" }),
  );
  signIn(USERS.operator);
  const user = userEvent.setup();
  renderOee();
  const form = await screen.findByRole("form", { name: "Record a state change" });
  expect(within(form).getByLabelText("State")).toHaveValue("down");
  await user.selectOptions(within(form).getByLabelText("Reason"), "tool_change");
  const before = Date.now();
  await user.click(within(form).getByRole("button", { name: "Record state" }));

  await waitFor(() => expect(callsTo("POST", "/api/v1/oee/machines/m1/states")).toHaveLength(1));
  const body = callsTo("POST", "/api/v1/oee/machines/m1/states")[0].body as { start: string };
  expect(body).toEqual({ state: "down", start: expect.any(String), reason_code: "tool_change", note: "" });
  expect(Date.parse(body.start)).toBeGreaterThanOrEqual(before - 1000);
  expect(await within(form).findByRole("alert")).toHaveTextContent("Could not record the state: no reason code 'tool_change'");
});

test("an operator enters good and reject counts for an interval in plant time", async () => {
  route("POST", "/api/v1/oee/machines/m1/counts", (c: FetchCall) => jsonResponse(201, { id: "c1", ...(c.body as object) }));
  signIn(USERS.operator);
  const user = userEvent.setup();
  renderOee();
  const form = await screen.findByRole("form", { name: "Enter counts" });
  await user.clear(within(form).getByLabelText("From (Europe/Berlin)"));
  await user.type(within(form).getByLabelText("From (Europe/Berlin)"), "2026-03-02T06:00");
  await user.clear(within(form).getByLabelText("To (Europe/Berlin)"));
  await user.type(within(form).getByLabelText("To (Europe/Berlin)"), "2026-03-02T07:00");
  await user.type(within(form).getByLabelText("Good"), "480");
  await user.type(within(form).getByLabelText("Reject"), "12");
  await user.click(within(form).getByRole("button", { name: "Save counts" }));
  await waitFor(() => expect(callsTo("POST", "/api/v1/oee/machines/m1/counts")).toHaveLength(1));
  expect(callsTo("POST", "/api/v1/oee/machines/m1/counts")[0].body).toEqual({
    start: "2026-03-02T05:00:00.000Z",
    end: "2026-03-02T06:00:00.000Z",
    good: 480,
    reject: 12,
    note: "",
  });
});

test("viewers read the figures but get no operator input and no settings", async () => {
  signIn(USERS.viewer);
  renderOee();
  await screen.findByTestId("oee-summary");
  await screen.findByTestId("downtime-table");
  expect(screen.queryByRole("form", { name: "Record a state change" })).toBeNull();
  expect(screen.queryByRole("button", { name: /Classify/ })).toBeNull();
  expect(screen.queryByRole("button", { name: "Settings" })).toBeNull();
});

test("a line shows its machines and a line Pareto; a custom range is checked, then sent in plant time", async () => {
  route("GET", "/api/v1/oee/lines/line-1", {
    ...machineOee({ name: "Line A" }),
    line_id: "line-1",
    machines: [{ ...machineOee().totals, machine_id: "m1", name: "Press 1", path: "Berlin/Line A/Press 1", configured: true, counted: true }],
  });
  const user = userEvent.setup();
  renderOee("/oee?line=line-1");
  expect(await screen.findByTestId("oee-by-machine")).toHaveTextContent("Press 1");
  expect(screen.queryByTestId("state-timeline")).toBeNull();
  await waitFor(() => expect(callsTo("GET", "/api/v1/oee/pareto")[0]?.url.searchParams.get("line_id")).toBe("line-1"));
  expect(PARETO.items).toHaveLength(2);

  await user.click(screen.getByLabelText("Custom"));
  expect((screen.getByLabelText("From") as HTMLInputElement).value).toMatch(/^\d{4}-\d{2}-\d{2}T00:00$/); // today so far
  await user.clear(screen.getByLabelText("From"));
  await user.type(screen.getByLabelText("From"), "2026-03-02T08:00");
  await user.clear(screen.getByLabelText("To"));
  await user.type(screen.getByLabelText("To"), "2026-03-01T08:00");
  await user.click(screen.getByRole("button", { name: "Apply range" }));
  expect(await screen.findByText("The end must be after the start.")).toBeInTheDocument();
  await user.clear(screen.getByLabelText("To"));
  await user.type(screen.getByLabelText("To"), "2026-03-03T08:00");
  await user.click(screen.getByRole("button", { name: "Apply range" }));
  await waitFor(() => expect(callsTo("GET", "/api/v1/oee/lines/line-1").at(-1)?.url.searchParams.get("from")).toBe("2026-03-02T07:00:00.000Z"));
  expect(callsTo("GET", "/api/v1/oee/lines/line-1").at(-1)?.url.searchParams.get("to")).toBe("2026-03-03T07:00:00.000Z");
});
